# collapse_ethnicity() and the NHS Data Dictionary's ethnic categories.

nhs_codes <- c("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S")
nhs_words <- c(
  "White - British", "White - Irish", "White - Any other White background",
  "Mixed - White and Black Caribbean", "Mixed - White and Black African",
  "Mixed - White and Asian", "Mixed - Any other mixed background",
  "Asian or Asian British - Indian", "Asian or Asian British - Pakistani",
  "Asian or Asian British - Bangladeshi", "Asian or Asian British - Any other Asian background",
  "Black or Black British - Caribbean", "Black or Black British - African",
  "Black or Black British - Any other Black background",
  "Other Ethnic Groups - Chinese", "Other Ethnic Groups - Any other ethnic group"
)
nhs_detailed <- c(
  "English, Welsh, Scottish, Northern Irish or British", "Irish", "Other White",
  "White and Black Caribbean", "White and Black African", "White and Asian",
  "Other Mixed or Multiple ethnic groups", "Indian", "Pakistani", "Bangladeshi",
  "Other Asian", "Caribbean", "African", "Other Black", "Chinese", "Any other ethnic group"
)
nhs_broad <- c(
  rep("White", 3), rep("Mixed or Multiple ethnic groups", 4),
  rep("Asian, Asian British or Asian Welsh", 4),
  rep("Black, Black British, Black Welsh, Caribbean or African", 3),
  "Asian, Asian British or Asian Welsh", "Other ethnic group"
)

test_that("the 16 NHS Data Dictionary categories map to ONS 2021 groups, by wording or code", {
  for (x in list(nhs_words, nhs_codes, paste(nhs_codes, "-", nhs_words), tolower(nhs_codes))) {
    expect_silent(d <- collapse_ethnicity(x, to = "detailed"))
    expect_equal(as.character(d), nhs_detailed)
    expect_equal(nrow(attr(d, "unmapped")), 0)
    expect_equal(as.character(collapse_ethnicity(x)), nhs_broad)
  }
  # the short wordings of the code lists ("R Chinese", "Any other mixed background")
  short <- c("A British", "G Any other mixed background", "R Chinese", "S Any other ethnic group")
  expect_equal(
    as.character(collapse_ethnicity(short)),
    c("White", "Mixed or Multiple ethnic groups", "Asian, Asian British or Asian Welsh", "Other ethnic group")
  )
  # Chinese is Asian (ONS 2021), although the 2001 classification put it under other groups
  expect_equal(
    as.character(collapse_ethnicity("Other Ethnic Groups - Chinese")),
    "Asian, Asian British or Asian Welsh"
  )
})

test_that("NHS not stated (Z) and not known (99) are unknown without a warning", {
  x <- c(
    "Z", "Not stated", "Z - Not stated", "99", "Not known", "99 - Not known", "NOT STATED", "H"
  )
  expect_silent(b <- collapse_ethnicity(x))
  expect_equal(as.character(b), c(rep(NA, 7), "Asian, Asian British or Asian Welsh"))
  expect_equal(nrow(attr(b, "unmapped")), 0)
  # local two-character codes and letters that are no code are not guessed at
  expect_warning(u <- collapse_ethnicity(c("CA", "Q", "I", "O", "A")), "\"CA\" \\(1\\)")
  expect_equal(as.character(u), c(NA, NA, NA, NA, "White"))
  expect_equal(sort(attr(u, "unmapped")$value), c("CA", "I", "O", "Q"))
})

test_that("a referral extract coded as NHS data sets code it collapses with its counts", {
  set.seed(32)
  codes <- sample(c(nhs_codes, "Z", "99"), 500, TRUE)
  b <- collapse_ethnicity(codes)
  want <- c(stats::setNames(nhs_broad, nhs_codes), Z = NA, `99` = NA)[codes]
  expect_equal(as.character(b), unname(want))
  expect_equal(sum(is.na(b)), sum(codes %in% c("Z", "99")))
  expect_equal(
    as.vector(table(b))[[1]],
    sum(codes %in% c("H", "J", "K", "L", "R"))
  )
})

# Groups in the ONS 2021 order ("Order of groups" in ?equityaudit-arguments).

test_that("the 19 ONS categories come out in the ONS order, not alphabetically", {
  r <- realistic_referrals()
  p <- r$people
  res <- compare_outcomes(p, ethnic_group, outcome, event = "Employed")
  ons <- as.character(ons_ethnicity_2021$detailed)
  expect_equal(as.character(res$ethnic_group), c(ons, "Not stated", "Not known"))
  # the counts follow their labels
  want <- table(p$ethnic_group[p$outcome %in% "Employed"])
  expect_equal(res$events[1:20], as.vector(want[c(ons, "Not stated")]))
  # declared unknown, "Not stated" is the unknown group, last
  u <- compare_outcomes(p, ethnic_group, outcome, event = "Employed", unknown = "Not stated")
  expect_equal(as.character(u$ethnic_group), c(ons, "Not stated"))
  # the broad groups, as collapse_ethnicity() gives them as text
  p$broad <- as.character(collapse_ethnicity(p$ethnic_group, unknown = "Not stated"))
  tab <- tabulate_groups(p, c(site, broad))
  expect_equal(unique(tab$site), c("East", "North", "South"))
  expect_equal(tab$broad[tab$site == "East"], c(levels(ons_ethnicity_2021$broad), NA))
  expect_equal(sum(tab$n[tab$site == "East" & tab$broad %in% "White"]),
    sum(p$site == "East" & p$ethnic_group %in% ons[13:17]))
  # a reference population is matched by label, whatever the order
  a <- compare_access(p, ethnic_group, r$population, by = site, unknown = "Not stated")
  north <- a[a$site == "North" & !a$missing, ]
  expect_equal(as.character(north$ethnic_group), ons)
  pop <- r$population[r$population$site == "North" & r$population$ethnic_group != "Not stated", ]
  expect_equal(north$ref_n, pop$n[match(ons, pop$ethnic_group)])
})

test_that("NHS wordings, broad groups and combined groups are ordered; other columns are not", {
  nhs <- c(
    "White - British", "Other Ethnic Groups - Chinese", "Asian or Asian British - Indian",
    "Not known", "Not stated", "Mixed - White and Asian", "Black or Black British - African"
  )
  d <- data.frame(
    e = rep(nhs, 1:7), s = rep(c("M", "F"), length.out = 28),
    stringsAsFactors = FALSE
  )
  tab <- tabulate_groups(d, e)
  expect_equal(tab$e, c(
    "Other Ethnic Groups - Chinese", "Asian or Asian British - Indian",
    "Black or Black British - African", "Mixed - White and Asian", "White - British",
    "Not stated", "Not known"
  ))
  expect_equal(tab$n, c(2, 3, 7, 6, 1, 5, 4))
  # broad group names, each just before its own detailed categories
  asian <- "Asian, Asian British or Asian Welsh"
  b <- tabulate_groups(data.frame(e = c("White", "Irish", asian, "Indian", "Other ethnic group")), e)
  expect_equal(b$e, c(asian, "Indian", "White", "Irish", "Other ethnic group"))
  # combined groups: the ethnic part in the ONS order, the other sorted
  cg <- compare_outcomes(transform(d, y = seq_along(e) %% 3 == 0), c(e, s), y)
  known <- !cg$missing
  expect_equal(unique(cg$e[known]), tab$e)
  expect_equal(cg$s[known][1:2], c("F", "M"))
  # a factor's own level order always wins
  f <- factor(d$e, levels = rev(nhs))
  expect_equal(as.character(tabulate_groups(data.frame(e = f), e)$e), rev(nhs))
  # one label that is no ethnic category: the whole column in C-locale order
  odd <- tabulate_groups(data.frame(e = c(nhs, "Martian")), e)
  expect_equal(odd$e, sort(c(nhs, "Martian"), method = "radix"))
  # bare NHS code letters are not read as ethnic categories (they may be sites)
  expect_equal(tabulate_groups(data.frame(e = c("R", "A", "H")), e)$e, c("A", "H", "R"))
  # over time, too
  d$date <- as.Date("2021-04-01") + seq_len(28) * 10
  per <- compare_periods(d, e, date, period = "financial_year")
  expect_equal(unique(per$e), tab$e)
})

test_that("ggplot panels of groups follow the groups' order", {
  skip_if_not_installed("ggplot2")
  d <- data.frame(
    e = rep(c(
      "White - British", "Black or Black British - African", "Other Ethnic Groups - Chinese"
    ), 40),
    date = as.Date("2021-04-01") + 0:119 * 3, stringsAsFactors = FALSE
  )
  p <- ggplot2::autoplot(compare_periods(d, e, date, period = "financial_quarter"))
  layout <- ggplot2::ggplot_build(p)$layout$layout
  # Chinese is Asian, first; alphabetically it would be after Black
  expect_equal(as.character(layout$panel[order(layout$PANEL)]), c(
    "Other Ethnic Groups - Chinese", "Black or Black British - African", "White - British"
  ))
})
