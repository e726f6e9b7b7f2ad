"""NHS.UK form components as escaped HTML, with their error states.

Every component's first input has id == field name, so an error summary links to ``#<name>``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.web.console.html import Safe, attr_if, join, render


def _error(name: str, message: str | None) -> Safe:
    if not message:
        return Safe("")
    return render(
        '<span class="nhsuk-error-message" id="$name-error"><span class="nhsuk-u-visually-hidden">Error:</span> '
        "$message</span>",
        name=name,
        message=message,
    )


def _described(name: str, hint: str | None, error: str | None) -> Safe:
    ids = [f"{name}-hint"] if hint else []
    ids += [f"{name}-error"] if error else []
    return render(' aria-describedby="$ids"', ids=" ".join(ids)) if ids else Safe("")


def _hint(name: str, hint: str | None) -> Safe:
    return render('<div class="nhsuk-hint" id="$name-hint">$hint</div>', name=name, hint=hint) if hint else Safe("")


def _group(error: str | None) -> Safe:
    return Safe("nhsuk-form-group nhsuk-form-group--error" if error else "nhsuk-form-group")


def text_input(
    name: str, label: str, value: str, *, error: str | None = None, hint: str | None = None,
    width: str = "", autocomplete: str = "off",
) -> Safe:
    classes = "nhsuk-input" + (f" {width}" if width else "") + (" nhsuk-input--error" if error else "")
    return render(
        '<div class="$group"><label class="nhsuk-label" for="$name">$label</label>$hint$error'
        '<input class="$classes" id="$name" name="$name" type="text" value="$value" autocomplete="$autocomplete"'
        ' spellcheck="false"$described></div>',
        group=_group(error), name=name, label=label, hint=_hint(name, hint), error=_error(name, error),
        classes=classes, value=value, autocomplete=autocomplete, described=_described(name, hint, error),
    )


def textarea(name: str, label: str, value: str, *, error: str | None = None, hint: str | None = None,
             rows: int = 3) -> Safe:
    classes = "nhsuk-textarea" + (" nhsuk-textarea--error" if error else "")
    return render(
        '<div class="$group"><label class="nhsuk-label" for="$name">$label</label>$hint$error'
        '<textarea class="$classes" id="$name" name="$name" rows="$rows"$described>$value</textarea></div>',
        group=_group(error), name=name, label=label, hint=_hint(name, hint), error=_error(name, error),
        classes=classes, rows=rows, value=value, described=_described(name, hint, error),
    )


def _choices(
    kind: str, name: str, legend: str, options: Sequence[tuple[str, str]], chosen: Sequence[str],
    error: str | None, hint: str | None, columns_class: str,
) -> Safe:
    items = [
        render(
            '<div class="nhsuk-${kind}__item"><input class="nhsuk-${kind}__input" id="$id" name="$name" type="$type" '
            'value="$value"$checked><label class="nhsuk-label nhsuk-${kind}__label" for="$id">$label</label></div>',
            kind=kind, id=name if index == 0 else f"{name}-{index + 1}", name=name,
            type="radio" if kind == "radios" else "checkbox", value=value, label=label,
            checked=attr_if(value in chosen, "checked"),
        )
        for index, (value, label) in enumerate(options)
    ]
    return render(
        '<div class="$group"><fieldset class="nhsuk-fieldset"$described>'
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">$legend</legend>$hint$error'
        '<div class="nhsuk-$kind $columns">$items</div></fieldset></div>',
        group=_group(error), described=_described(name, hint, error), legend=legend, hint=_hint(name, hint),
        error=_error(name, error), kind=kind, columns=columns_class, items=join(items, ""),
    )


def radios(name: str, legend: str, options: Sequence[tuple[str, str]], chosen: str, *,
           error: str | None = None, hint: str | None = None) -> Safe:
    return _choices("radios", name, legend, options, [chosen], error, hint, "")


def checkboxes(name: str, legend: str, options: Sequence[tuple[str, str]], chosen: Sequence[str], *,
               error: str | None = None, hint: str | None = None) -> Safe:
    return _choices("checkboxes", name, legend, options, chosen, error, hint, "nhsuk-checkboxes--small")


def select(name: str, label: str, options: Sequence[tuple[str, str]], chosen: str, *, error: str | None = None,
           hint: str | None = None) -> Safe:
    items = [
        render('<option value="$value"$selected>$label</option>', value=v, label=text,
               selected=attr_if(v == chosen, "selected"))
        for v, text in options
    ]
    classes = "nhsuk-select" + (" nhsuk-select--error" if error else "")
    return render(
        '<div class="$group"><label class="nhsuk-label" for="$name">$label</label>$hint$error'
        '<select class="$classes" id="$name" name="$name"$described>$items</select></div>',
        group=_group(error), name=name, label=label, hint=_hint(name, hint), error=_error(name, error),
        classes=classes, described=_described(name, hint, error), items=join(items, ""),
    )
