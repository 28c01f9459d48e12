"""Reference lines for citing an article."""


def gbt7714(article) -> str:
    """A GB/T 7714-2015 reference for a journal article, e.g.

    吴宁, 艾粤敏. 来宾市政协倾力打造“来宾好商量”协商议事品牌[J]. 广西政协工作, 2024(2): 10-11.
    """
    names = [a.author.name for a in article.authorships.all() if a.author is not None]
    authors = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
    title = article.title + (f"：{article.subtitle.lstrip('—')}" if article.subtitle else "")
    parts = [f"{authors}. " if authors else "", f"{title}[J]. "]
    issue = article.issue
    if issue is not None:
        parts.append(f"{issue.publication.name}, {issue.year}({issue.number})")
        if article.start_page:
            pages = str(article.start_page)
            if article.end_page and article.end_page != article.start_page:
                pages += f"-{article.end_page}"
            parts.append(f": {pages}")
    return "".join(parts) + "."
