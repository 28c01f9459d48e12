// Extensions of the article body editor (django-prose-editor's "configurable" preset imports this
// module because articles/admin_forms.py lists it in the widget's js_modules).
//
// Everything here exists so that what the editor writes is exactly what bulletin/html.py keeps:
// an unchanged body is stored unchanged, and nothing an editor sees is lost on save.

import {
  gettext,
  Heading,
  Extension,
  Link,
  Plugin,
  updateAttrsDialog,
} from "django-prose-editor/editor"

// Body headings are h3 and h4 (the title is the page's h1). Word files imported by mammoth and
// pasted from Word carry h1/h2 and h5/h6: they are kept as headings, one of the two levels,
// instead of falling back to plain paragraphs.
export const BulletinHeading = Heading.extend({
  parseHTML() {
    return [1, 2, 3, 4, 5, 6].map((level) => ({
      tag: `h${level}`,
      attrs: { level: level <= 3 ? 3 : 4 },
    }))
  },
})

// The sanitizer adds rel="noopener noreferrer" after href and title; the editor writes the same
// attributes in the same order, so saving does not rewrite every link.
export const BulletinLink = Link.extend({
  renderHTML(props) {
    const [tag, attrs, hole] = this.parent(props)
    const ordered = {}
    if (attrs.href) ordered.href = attrs.href
    if (attrs.title) ordered.title = attrs.title
    ordered.rel = "noopener noreferrer"
    return [tag, ordered, hole]
  },
})

const LIST_MARKER = /^\s*[（(]?([0-9０-９]+|[a-zA-Z]|[ivxIVX]+|[一二三四五六七八九十]+)[.．、)）]/

// Word and WPS put lists on the clipboard as paragraphs styled "mso-list" whose bullet or number
// is a text span marked "mso-list:Ignore". Those paragraphs become real lists here (one level:
// the print layout has no nested lists); the editor's schema then drops every style and class.
function cleanPastedHTML(html) {
  if (!/mso-|<img|<col/i.test(html)) return html
  const doc = new DOMParser().parseFromString(html, "text/html")

  let list = null
  for (const p of [...doc.body.querySelectorAll("p")]) {
    const style = p.getAttribute("style") || ""
    if (!/mso-list\s*:/i.test(style) || /mso-list\s*:\s*ignore/i.test(style)) {
      list = null
      continue
    }
    let marker = ""
    for (const span of p.querySelectorAll("span")) {
      if (/mso-list\s*:\s*ignore/i.test(span.getAttribute("style") || "")) {
        marker = span.textContent
        span.remove()
        break
      }
    }
    const tag = LIST_MARKER.test(marker) ? "ol" : "ul"
    const previous = p.previousElementSibling
    if (!list || previous !== list || list.tagName.toLowerCase() !== tag) {
      list = doc.createElement(tag)
      p.before(list)
    }
    const item = doc.createElement("li")
    const para = doc.createElement("p")
    para.append(...p.childNodes)
    item.append(para)
    list.append(item)
    p.remove()
  }

  // Pictures pasted from a local file (file:///C:/…) or inline data cannot be shown to readers;
  // images are added from the article's own images instead.
  for (const img of [...doc.body.querySelectorAll("img")]) {
    if (/^(https?:\/\/|\/)/i.test(img.getAttribute("src") || "")) continue
    const parent = img.parentElement
    img.remove()
    if (parent.matches("p") && !parent.textContent.trim() && !parent.children.length) {
      parent.remove()
    }
  }
  for (const colgroup of [...doc.body.querySelectorAll("colgroup")]) colgroup.remove()

  return doc.body.innerHTML
}

export const WordPaste = Extension.create({
  name: "wordPaste",
  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: cleanPastedHTML } })]
  },
})

// A toolbar button that inserts one of the article's own images (ArticleImage rows, listed by
// the form in this extension's options) as <img src alt>.
export const ArticleImages = Extension.create({
  name: "articleImages",

  addOptions() {
    return { images: [] }
  },

  addMenuItems({ menu, buttons }) {
    const images = this.options.images
    menu.defineItem({
      name: "articleImage",
      groups: "nodes",
      button: buttons.material("image", gettext("Insert image")),
      enabled: () => images.length > 0,
      command(editor) {
        const labels = images.map((image) => image.label)
        updateAttrsDialog(
          { image: { title: gettext("Image"), enum: labels, default: labels[0] } },
          { title: gettext("Insert an image of this article"), submitText: gettext("Insert") },
        )(editor, {}).then((attrs) => {
          const image = attrs && images.find((i) => i.label === attrs.image)
          if (image) {
            editor.chain().focus().setImage({ src: image.src, alt: image.alt }).run()
          }
        })
      },
    })
  },
})

// The library's toolbar titles are English words; editors read Chinese. Keyed by menu item name.
const BUTTON_TITLES = {
  heading3: "小标题（一级，h3）",
  heading4: "小标题（二级，h4）",
  paragraph: "正文段落",
  bulletList: "项目符号列表",
  orderedList: "编号列表",
  blockquote: "引文",
  horizontalRule: "分隔线",
  articleImage: "插入本文图片",
  bold: "加粗",
  italic: "倾斜",
  superscript: "上标",
  subscript: "下标",
  link: "插入链接（先选中文字）",
  unlink: "取消链接",
  table: "插入表格",
  "table:addColumnAfter": "右侧插入一列",
  "table:deleteColumn": "删除本列",
  "table:addRowAfter": "下方插入一行",
  "table:deleteRow": "删除本行",
  "table:mergeCells": "合并单元格",
  "table:splitCell": "拆分单元格",
  "table:toggleHeaderCell": "设为/取消表头",
  "table:deleteTable": "删除表格",
  "history:undo": "撤销",
  "history:redo": "重做",
  fullscreen: "全屏编辑",
}

document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail
  const relabel = () => {
    const wrapper = textarea.closest(".prose-editor")
    for (const button of wrapper?.querySelectorAll("[data-name]") || []) {
      const title = BUTTON_TITLES[button.dataset.name]
      if (title) {
        button.title = title
        button.setAttribute("aria-label", title)
      }
    }
  }
  // The menu is built when Tiptap emits "create", which may come before or after this event.
  relabel()
  editor.on("create", relabel)
})
