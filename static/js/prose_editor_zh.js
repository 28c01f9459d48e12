// Chinese for the words django-prose-editor's dialogs pass through gettext (the package ships no
// zh-hans catalogue). Loaded as a classic script before the editor's modules evaluate; anything
// not listed falls through to Django's own JavaScript catalogue (admin:jsi18n).
;(() => {
  const catalogue = {
    Update: "确定",
    Cancel: "取消",
    Insert: "插入",
    URL: "网址",
    Title: "标题（鼠标悬停提示）",
    "Edit Link": "编辑链接",
    "Open in new window": "在新窗口打开",
    Rows: "行数",
    Columns: "列数",
    "Include header row": "首行作表头",
    "Table Properties": "表格",
    "Insert Table": "插入表格",
    "Toggle fullscreen": "全屏编辑",
    Image: "图片",
    "Insert image": "插入本文图片",
    "Insert an image of this article": "插入本文图片",
  }
  const fallback = window.gettext || ((text) => text)
  window.gettext = (text) => catalogue[text] ?? fallback(text)
})()
