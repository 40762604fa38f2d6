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
  expect_equal(as.character(collapse_ethnicity("Other Ethnic Groups - Chinese")), "Asian, Asian British or Asian Welsh")
})

test_that("NHS not stated (Z) and not known (99) are unknown without a warning", {
  x <- c("Z", "Not stated", "Z - Not stated", "99", "Not known", "99 - Not known", "NOT STATED", "H")
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
