# The ethnic group classification of the 2021 Census of England and Wales
# (Office for National Statistics): 19 detailed categories in 5 broad groups,
# in the order the ONS publishes them (e.g. table TS021), with a few labels
# other sources use for the same categories (the NHS data dictionary's
# 2001-based ethnic category, older ONS wording).
# Run from the package root: Rscript data-raw/ons_ethnicity.R

broad <- c(
  "Asian, Asian British or Asian Welsh",
  "Black, Black British, Black Welsh, Caribbean or African",
  "Mixed or Multiple ethnic groups",
  "White",
  "Other ethnic group"
)
rows <- list(
  c(1, "Bangladeshi", "Asian or Asian British: Bangladeshi"),
  c(1, "Chinese", "Chinese; Other ethnic group: Chinese"),
  c(1, "Indian", "Asian or Asian British: Indian"),
  c(1, "Pakistani", "Asian or Asian British: Pakistani"),
  c(1, "Other Asian", "Any other Asian background; Asian other; Other Asian background"),
  c(2, "African", "Black or Black British: African; Black African"),
  c(2, "Caribbean", "Black or Black British: Caribbean; Black Caribbean"),
  c(2, "Other Black", "Any other Black background; Any other Black, Black British or Caribbean background; Any other Black, Black British, or Caribbean background; Black other"),
  c(3, "White and Asian", "Mixed: White and Asian"),
  c(3, "White and Black African", "Mixed: White and Black African"),
  c(3, "White and Black Caribbean", "Mixed: White and Black Caribbean"),
  c(3, "Other Mixed or Multiple ethnic groups", "Any other Mixed or Multiple ethnic background; Any other mixed background; Any other Mixed/Multiple ethnic background; Other Mixed; Mixed other"),
  c(4, "English, Welsh, Scottish, Northern Irish or British", "White British; British; White: British; English/Welsh/Scottish/Northern Irish/British"),
  c(4, "Irish", "White Irish; White: Irish"),
  c(4, "Gypsy or Irish Traveller", "White: Gypsy or Irish Traveller; Gypsy, Traveller or Irish Traveller"),
  c(4, "Roma", "White: Roma"),
  c(4, "Other White", "Any other White background; White other; White: Any other White background"),
  c(5, "Arab", "Other ethnic group: Arab"),
  c(5, "Any other ethnic group", "Other ethnic group: Any other ethnic group; Other; Any other ethnic background")
)
ons_ethnicity_2021 <- data.frame(
  detailed = vapply(rows, `[[`, "", 2),
  broad = factor(broad[as.integer(vapply(rows, `[[`, "", 1))], levels = broad),
  other_labels = vapply(rows, `[[`, "", 3),
  stringsAsFactors = FALSE
)
ons_ethnicity_2021$detailed <- factor(ons_ethnicity_2021$detailed,
  levels = ons_ethnicity_2021$detailed
)
stopifnot(nrow(ons_ethnicity_2021) == 19, nlevels(ons_ethnicity_2021$broad) == 5)
save(ons_ethnicity_2021, file = "data/ons_ethnicity_2021.rda", compress = "xz", version = 2)
