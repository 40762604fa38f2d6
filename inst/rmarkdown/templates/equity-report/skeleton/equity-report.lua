--[[
equity-report.lua: the equality report's pandoc filter (pandoc 2.11 or
later), run by both of the template's formats. What pipe tables and
knitr's images cannot carry, it adds from the marks the package writes
(R/report-text.R):

* a table in `::: {.ea-table row-headers="n"}`: its caption numbered
  ("Table 3: ..."); its first n columns row headers (<th scope="row">) and
  its header cells <th scope="col">; in HTML, inside a region of its own
  that scrolls sideways on a phone and that a keyboard can reach; in Word,
  column widths from its content (no word broken), on landscape pages when
  it is too wide for portrait;
* a figure followed by `::: {.ea-figure width="px" height="px"}` (a
  caption, a summary, a description of every value), perhaps with the
  same figure drawn for a phone between them (`phone-width="px"`, HTML
  only, shown in its place on a narrow screen): a <figure> of the
  image, with the summary as its alt text, and its numbered caption, then
  the description, to which the image refers (aria-describedby), in a
  <details> element every reader can open; in Word, the description as
  the picture's alt text (never its file's path), kept with its caption,
  on a page that holds it;
* an HTML page: one main landmark holding everything, the date as a line
  of text (rmarkdown's template makes it a level-4 heading, which skips
  two levels) and the contents as a navigation landmark.

Every text comes from the document's own elements, which pandoc writes
escaped: the filter builds no markup from text, and puts no text that
came from the data into an attribute (ids and numbers only).
]]

local is_html = FORMAT:match("html") ~= nil
local is_docx = FORMAT == "docx"

local stringify = pandoc.utils.stringify

-- Word's page, as the reference document sets it (tools/make-reference-docx.R):
-- A4 with 2 cm margins, in twentieths of a point.
local A4_SHORT, A4_LONG, MARGIN = 11906, 16838, 1134
-- Characters of the tables' 11-point Arial a line holds on a portrait or a
-- landscape page (about 6.2 points a character, allowing for digits and
-- capitals); a column also loses about three characters to its cell margins
-- (and its heading is bold).
local PORTRAIT_CHARS, LANDSCAPE_CHARS = 77, 117

local function prefix(label, n, inlines)
  local out = pandoc.List({ pandoc.Str(label), pandoc.Space(), pandoc.Str(n .. ":"), pandoc.Space() })
  out:extend(inlines)
  return out
end

local function cell_text(cell)
  return stringify(cell.contents)
end

local function utf8_len(s)
  local _, n = s:gsub("[^\128-\191]", "")
  return n
end

-- The longest word of each column (its heading's too) and its longest
-- cell (headings wrap, so they do not count), in characters.
local function column_lengths(t)
  local longest_word, longest_text = {}, {}
  local function see(row, body)
    for j, cell in ipairs(row.cells) do
      local text = cell_text(cell)
      if body then longest_text[j] = math.max(longest_text[j] or 0, utf8_len(text)) end
      for word in text:gmatch("%S+") do
        longest_word[j] = math.max(longest_word[j] or 0, utf8_len(word))
      end
    end
  end
  for _, row in ipairs(t.head.rows) do see(row, false) end
  for _, body in ipairs(t.bodies) do
    for _, row in ipairs(body.body) do see(row, true) end
  end
  return longest_word, longest_text
end

-- Word: tables the width of the page (as Word and LibreOffice both lay
-- them out alike), on a landscape page when portrait is too narrow for
-- what the columns ask (their longest cell, wrapped at about 40
-- characters). Each column gets a share as its content asks; when the page
-- is too narrow for that, the columns give up their width beyond their
-- longest word first, so that no word is broken. Returns whether the
-- table is wide.
local function size_columns(t)
  local word, text = column_lengths(t)
  local least, want = {}, {}
  local sum_least, sum_want = 0, 0
  for j = 1, #t.colspecs do
    least[j] = (word[j] or 1) + 3
    want[j] = math.max(least[j], math.min(text[j] or 1, 40) + 3)
    sum_least, sum_want = sum_least + least[j], sum_want + want[j]
  end
  local wide = sum_want > PORTRAIT_CHARS
  local page = wide and LANDSCAPE_CHARS or PORTRAIT_CHARS
  local width, total = {}, 0
  for j = 1, #t.colspecs do
    width[j] = want[j]
    if sum_want > page and sum_least < page then
      width[j] = least[j] + (want[j] - least[j]) * (page - sum_least) / (sum_want - sum_least)
    elseif sum_want > page then
      width[j] = least[j]
    end
    total = total + width[j]
  end
  for j, spec in ipairs(t.colspecs) do
    t.colspecs[j] = { spec[1], width[j] / total }
  end
  return wide
end

-- HTML: header cells and the first n cells of each row are headers of
-- their column or row.
local function mark_headers(t, n)
  for _, row in ipairs(t.head.rows) do
    for _, cell in ipairs(row.cells) do
      cell.attr = pandoc.Attr("", {}, { { "scope", "col" } })
    end
  end
  for _, body in ipairs(t.bodies) do
    body.row_head_columns = n
    if is_html then
      for _, row in ipairs(body.body) do
        for j = 1, math.min(n, #row.cells) do
          row.cells[j].attr = pandoc.Attr("", {}, { { "scope", "row" } })
        end
      end
    end
  end
end

local tables, figures = 0, 0

-- The blocks of an .ea-table div: its table, captioned and marked.
local function table_blocks(div)
  local t
  for _, b in ipairs(div.content) do
    if b.t == "Table" then t = b end
  end
  if not t then return div.content, false end
  tables = tables + 1
  local caption = t.caption.long[1] and t.caption.long[1].content or pandoc.List()
  caption = prefix("Table", tables, caption)
  mark_headers(t, tonumber(div.attributes["row-headers"]) or 0)
  if is_docx then
    t.caption.long = { pandoc.Plain(caption) }
    return { t }, size_columns(t)
  end
  if is_html then
    -- a region a keyboard can scroll, named by the table's caption (by
    -- reference: text of the data never goes into an attribute)
    local id = "ea-table-" .. tables
    t.caption.long = { pandoc.Plain({ pandoc.Span(caption, pandoc.Attr(id)) }) }
    return { pandoc.Div({ t }, pandoc.Attr("", { "ea-table-scroll" }, {
      { "role", "region" }, { "tabindex", "0" }, { "aria-labelledby", id },
    })) }, false
  end
  t.caption.long = { pandoc.Plain(caption) }
  return { t }, false
end

-- The image of a paragraph that holds one (and perhaps an HTML comment).
local function image_of(block)
  if not block or (block.t ~= "Para" and block.t ~= "Plain") then return nil end
  local image
  for _, inline in ipairs(block.content) do
    if inline.t == "Image" then
      if image then return nil end
      image = inline
    elseif inline.t ~= "RawInline" and inline.t ~= "Space" and inline.t ~= "SoftBreak" then
      return nil
    end
  end
  return image
end

-- A figure: the image (with its alt text) and its caption, from the
-- .ea-figure div after it (its caption, a summary, a description).
local function figure_blocks(image, div, phone)
  figures = figures + 1
  local function para(k) return div.content[k] and div.content[k].content or pandoc.List() end
  local caption, summary, description = para(1), para(2), para(3)
  image.title = ""
  local captioned = prefix("Figure", figures, caption)
  if is_html then
    -- the summary as the alt text, and the description (which names the
    -- groups: no label goes into an attribute) as the image's description,
    -- under the figure for every reader
    local id = "ea-figure-" .. figures .. "-description"
    image.caption = summary
    image.attributes["aria-describedby"] = id
    if div.attributes.width then image.attributes.width = div.attributes.width end
    local images = { image }
    if phone then
      -- the same figure drawn for a phone, shown in its place below 600
      -- pixels (the page's style), with the same alt text and description
      phone.title = ""
      phone.caption = summary
      phone.attributes["aria-describedby"] = id
      if div.attributes["phone-width"] then phone.attributes.width = div.attributes["phone-width"] end
      image.classes:insert("ea-wide")
      phone.classes:insert("ea-phone")
      images = { image, phone }
    end
    return {
      pandoc.RawBlock("html", '<figure class="ea-figure">'),
      pandoc.Para(images),
      pandoc.RawBlock("html", "<figcaption>"),
      pandoc.Plain(captioned),
      pandoc.RawBlock("html", "</figcaption>\n</figure>"),
      pandoc.RawBlock("html", '<details class="ea-figure-description">\n<summary>Description of figure ' ..
        figures .. "</summary>"),
      pandoc.Div({ pandoc.Para(description) }, pandoc.Attr(id)),
      pandoc.RawBlock("html", "</details>"),
    }
  end
  image.caption = description
  if is_docx then
    -- the picture's hidden name is its source: a name of the figure's,
    -- not the path of knitr's temporary file
    local mime, contents = pandoc.mediabag.fetch(image.src)
    if contents then
      local name = "figure-" .. figures .. ".png"
      pandoc.mediabag.insert(name, mime, contents)
      image.src = name
    end
    -- the picture kept on the page of its caption
    return {
      pandoc.Div({ pandoc.Para({ image }) }, pandoc.Attr("", {}, { { "custom-style", "Captioned Figure" } })),
      pandoc.Div({ pandoc.Para(captioned) }, pandoc.Attr("", {}, { { "custom-style", "Image Caption" } })),
    }
  end
  return { pandoc.Para({ image }), pandoc.Para(captioned) }
end

-- Word: a paragraph that ends a section of portrait or landscape pages.
local function section_end(landscape)
  local w, h, orient = A4_SHORT, A4_LONG, ""
  if landscape then
    w, h, orient = A4_LONG, A4_SHORT, ' w:orient="landscape"'
  end
  return pandoc.RawBlock("openxml", string.format(
    '<w:p><w:pPr><w:sectPr><w:pgSz w:w="%d" w:h="%d"%s/>' ..
    '<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="709" w:footer="709" w:gutter="0"/>' ..
    '</w:sectPr></w:pPr></w:p>', w, h, orient, MARGIN, MARGIN, MARGIN, MARGIN))
end

-- Word: the pages of each part of the report. A wide table needs a
-- landscape page; a figure too tall for one (pandoc fits a picture to a
-- portrait page's width, even on a landscape page) a portrait page. Other
-- blocks take the page of the next block of their section (from a level-2
-- heading to the next) that needs one, so that a heading and its text
-- stay with their table, or else of the block before them. The last
-- pages take the reference document's page (portrait): a landscape end
-- would leave an empty portrait page after it.
local function landscape_sections(units)
  local landscape = {}
  for i, u in ipairs(units) do
    local need = u.need
    if need == nil then
      for k = i + 1, #units do
        if units[k].section ~= u.section then break end
        if units[k].need ~= nil then need = units[k].need; break end
      end
    end
    if need == nil then
      need = i > 1 and units[i - 1].section == u.section and landscape[i - 1] and "landscape" or "portrait"
    end
    landscape[i] = need == "landscape"
  end
  local last = #units
  while last > 0 and landscape[last] do
    landscape[last] = false
    last = last - 1
  end
  local out = pandoc.List()
  for i, u in ipairs(units) do
    out:extend(u.blocks)
    if i < #units and landscape[i] ~= landscape[i + 1] then
      out:insert(section_end(landscape[i]))
    end
  end
  return out
end

-- Word: whether a figure (its size in CSS pixels, 96 an inch) is too tall
-- for a landscape page once fitted to a portrait page's width.
local function tall_figure(div)
  local w = tonumber(div.attributes.width or "") or 0
  local h = tonumber(div.attributes.height or "") or 0
  if w <= 0 then return false end
  return h * math.min(1, 6.7 * 96 / w) > 6.3 * 96
end

-- HTML: the date as text and the contents as a navigation landmark, at
-- the top of the one main landmark.
local function html_page(doc, blocks)
  local top = pandoc.List()
  local date = doc.meta.date
  if date then
    top:insert(pandoc.Div({ pandoc.Para(pandoc.List({ pandoc.Str(stringify(date)) })) },
      pandoc.Attr("", { "date" })))
    doc.meta.date = nil
  end
  local items = pandoc.List()
  for _, b in ipairs(blocks) do
    if b.t == "Header" and b.level == 2 and b.identifier ~= "" then
      items:insert({ pandoc.Plain({ pandoc.Link(b.content, "#" .. b.identifier) }) })
    end
  end
  if #items > 0 then
    top:insert(pandoc.Div({ pandoc.BulletList(items) }, pandoc.Attr("TOC", {}, {
      { "role", "navigation" }, { "aria-label", "Contents" },
    })))
  end
  -- the title as the page's h1, inside the main landmark (the template
  -- would put it outside); its <title> stays
  if doc.meta.title then
    if not doc.meta.pagetitle then doc.meta.pagetitle = doc.meta.title end
    top:insert(1, pandoc.Header(1, doc.meta.title, pandoc.Attr("", { "title", "toc-ignore" })))
    doc.meta.title = nil
  end
  top:extend(blocks)
  return { pandoc.Div(top, pandoc.Attr("", { "ea-main" }, { { "role", "main" } })) }
end

function Pandoc(doc)
  local units, section = pandoc.List(), 0
  local function add(list, need)
    units:insert({ blocks = list, need = need, section = section })
  end
  local i = 1
  while i <= #doc.blocks do
    local b = doc.blocks[i]
    local nxt = doc.blocks[i + 1]
    local image = image_of(b)
    if b.t == "Header" and b.level <= 2 then
      section = section + 1
      add({ b })
    elseif b.t == "Div" and b.classes:includes("ea-table") then
      local out, wide = table_blocks(b)
      add(out, wide and "landscape" or nil)
    elseif image and nxt and nxt.t == "Div" and nxt.classes:includes("ea-figure") then
      add(figure_blocks(image, nxt), tall_figure(nxt) and "portrait" or nil)
      i = i + 1
    elseif image and image_of(nxt) and doc.blocks[i + 2] and doc.blocks[i + 2].t == "Div" and
      doc.blocks[i + 2].classes:includes("ea-figure") and doc.blocks[i + 2].attributes["phone-width"] then
      -- a figure and its version for a phone (HTML only)
      add(figure_blocks(image, doc.blocks[i + 2], image_of(nxt)))
      i = i + 2
    elseif b.t == "Div" and b.classes:includes("ea-figure") then
      -- a figure's text without its figure (the plot was not drawn)
    else
      add({ b })
    end
    i = i + 1
  end
  if is_docx then
    doc.blocks = landscape_sections(units)
    return doc
  end
  local blocks = pandoc.List()
  for _, u in ipairs(units) do blocks:extend(u.blocks) end
  doc.blocks = is_html and html_page(doc, blocks) or blocks
  return doc
end
