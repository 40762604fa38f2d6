# Labels, column names, the event, unknown labels and the title come from
# records anyone may have typed: the report shows them as literal text.
# The test renders a report of hostile text beside one of the same shape
# with plain labels, and compares every element, attribute and embedded
# resource of the two.

hostile_labels <- function(secret) {
  c(
    "<script>alert('x')</script>",
    "<img src=\"SECRET\" onerror=\"alert(1)\">",
    "<iframe src=\"file://SECRET\"></iframe>",
    "<link rel=\"stylesheet\" href=\"SECRET\">",
    "![x](SECRET)",
    "[click](javascript:alert(1))",
    "<a href=\"https://example.org\">link</a>",
    "*emph* __strong__ `code` ~~del~~",
    "$x^2$ and \\(y\\) and $$z$$",
    "\\begin{equation}a\\end{equation}",
    "&lt;b&gt; &amp; &#60;i&#62;",
    "[span]{onclick=\"alert(1)\"} @cite ^[note]",
    "| a | b | <!-- c -->",
    "# heading\n1. list\n- item",
    "\u202edesrever\u202c \u200b\u2066x\u2069",
    strrep("long label ", 1000)
  ) |> gsub(pattern = "SECRET", replacement = secret, fixed = TRUE)
}

# Every element and attribute name in a page, and the media types of its
# data: URIs.
page_parts <- function(html) {
  html <- gsub("(?s)<!--.*?-->", "", html, perl = TRUE)
  tags <- regmatches(html, gregexpr("<[A-Za-z][A-Za-z0-9-]*[^>]*>", html, perl = TRUE))[[1]]
  names <- tolower(sub("^<([A-Za-z][A-Za-z0-9-]*).*", "\\1", tags))
  attrs <- unlist(regmatches(tags, gregexpr("\\s[A-Za-z_:][-A-Za-z0-9_:.]*(?==)", tags, perl = TRUE)))
  list(
    elements = c(table(names)),
    attributes = sort(unique(tolower(trimws(attrs)))),
    data_uris = sort(unique(regmatches(html, gregexpr("data:[a-z]+/[-a-z0-9.+]+", html))[[1]]))
  )
}

render_labels <- function(labels, title, event, group_col, by_col, unknown, secret_path, out) {
  n_g <- length(labels)
  d <- data.frame(
    g = rep(labels, each = 12), s = rep(c("North", "South"), 6 * n_g),
    y = rep(c(event, "no", "no", event), 3 * n_g), stringsAsFactors = FALSE
  )
  d$g[c(1, 50)] <- unknown
  names(d) <- c(group_col, by_col, "y")
  equity_report(d, group_col, "y",
    by = by_col, event = event, unknown = unknown, suppress = "none",
    title = title, path = out
  )
  paste(readLines(out, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
}

test_that("hostile labels, names and title render as literal text, and nothing else", {
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  dir <- tempfile("inert")
  dir.create(dir)
  on.exit(unlink(dir, recursive = TRUE))
  secret <- file.path(dir, "secret.txt")
  writeLines("SECRET-TOKEN-8731", secret)
  bad <- hostile_labels(secret)
  plain <- sprintf("group %02d", seq_along(bad))
  html_plain <- render_labels(plain, "Audit", "yes", "ethnicity", "site", "Not known",
    secret, file.path(dir, "plain.html")
  )
  html_bad <- render_labels(bad, "<script>alert('title')</script> *t* $x$",
    "<b>yes</b>", "<img src=x onerror=alert(2)>", "site`|*", "N/A <i>unknown</i>",
    secret, file.path(dir, "bad.html")
  )
  a <- page_parts(html_plain)
  b <- page_parts(html_bad)
  expect_equal(b$elements, a$elements)
  expect_equal(b$attributes, a$attributes)
  expect_equal(b$data_uris, a$data_uris)
  expect_false(grepl("SECRET-TOKEN", html_bad, fixed = TRUE))
  # a data: URI of any other file would carry its own media type; and no
  # element names the secret file as a resource
  expect_false(grepl(paste0("(src|href)=\"[^\"]*", basename(secret)), html_bad))
  # the text is there, escaped: the reader sees what was typed
  expect_true(grepl("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html_bad, fixed = TRUE) ||
    grepl("&lt;script&gt;alert('x')&lt;/script&gt;", html_bad, fixed = TRUE))
  expect_true(grepl("&lt;img src=x onerror=alert(2)&gt;", html_bad, fixed = TRUE))
  expect_true(grepl("*emph* __strong__", html_bad, fixed = TRUE))
  expect_true(grepl("$x^2$ and \\(y\\)", html_bad, fixed = TRUE))
  expect_true(grepl("&amp;lt;b&amp;gt;", html_bad, fixed = TRUE))
  # bidirectional controls are shown as code points, not applied
  expect_false(grepl("\u202e", html_bad, fixed = TRUE))
  expect_true(grepl("[U+202E]desrever", html_bad, fixed = TRUE))
  expect_true(grepl("<title>&lt;script&gt;", html_bad, fixed = TRUE))
})

test_that("md_literal() leaves pandoc nothing to interpret", {
  x <- c("a<b>", "(x) [y] {z}", "1. a", "$m$", NA, "tab\there")
  out <- md_literal(x)
  expect_false(any(grepl("[][<>(){}$`*_|\\\\!]", out)))
  expect_equal(out[[5]], "")
  expect_equal(out[[6]], "tab here")
  expect_equal(md_literal("a&b"), "a&#38;b")
  expect_equal(md_literal("\u202e"), "&#91;U&#43;202E&#93;")
})
