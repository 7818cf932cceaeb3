"""What a browser sends when a page's form is submitted unchanged: every named input, checked
box, selected option and textarea of the form, as lists of strings (for the test client)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_NOT_SENT = {"submit", "button", "image", "reset", "file"}


@dataclass
class _Option:
    value: str | None  # None: the option's text is its value
    selected: bool
    text: list[str] = field(default_factory=list)

    def sent(self) -> str:
        return self.value if self.value is not None else "".join(self.text).strip()


@dataclass
class _Select:
    name: str
    multiple: bool
    options: list[_Option] = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = self.found = False
        self.data: dict[str, list[str]] = {}
        self.select: _Select | None = None
        self.option: _Option | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if tag == "form" and not self.found and self.form_id in (None, attrs.get("id")):
            self.inside = self.found = True
        if not self.inside:
            return
        name, kind = attrs.get("name"), attrs.get("type", "text").lower()
        if tag == "input" and name and kind not in _NOT_SENT:
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select" and name:
            self.select = _Select(name, "multiple" in attrs)
        elif tag == "option" and self.select is not None:
            self.option = _Option(attrs.get("value") if "value" in attrs else None, "selected" in attrs)
            self.select.options.append(self.option)
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = [option.sent() for option in self.select.options if option.selected]
            if not chosen and self.select.options and not self.select.multiple:
                chosen = [self.select.options[0].sent()]  # a browser sends the first option
            if chosen:
                self.data[self.select.name] = chosen
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the one newline that may follow the opening tag.
            self.data[name] = ["".join(text).removeprefix("\n")]
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_data(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    """The submission of the form with `form_id` (else the page's first form) as the page shows it."""
    reader = _FormReader(form_id)
    reader.feed(html)
    if not reader.found:
        raise ValueError(f"the page has no form {form_id or ''}".strip())
    return reader.data
