"""Build hook: compile the gettext catalogs (``src/signalboost/locale/*/LC_MESSAGES/*.po``) to ``.mo`` in the build.

Everything else is configured in pyproject.toml. A source checkout or an editable install has no ``.mo``:
``signalboost.i18n`` then compiles the ``.po`` in memory on first use, so both read the same catalogs.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):  # type: ignore[misc]
    """``build_py`` that also writes ``signalboost.mo`` beside each ``signalboost.po`` in the build folder."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("src/signalboost/locale").glob("*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib) / po.relative_to("src").with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parts[-3])
            with target.open("wb") as out:
                write_mo(out, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogs})
