"""`flask --app portal translation-pack` and `read-translation-pack`: a language's
messages out to a spreadsheet for a translator, and back in with every row checked
(portal.domain.translation_pack); the status file records who checked it and when."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask import Flask, current_app

from portal.domain import languages, translation_pack, translation_status
from portal.domain.timescales import today_in_england


def _paths(code: str) -> tuple[Path, Path]:
    translations = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    if code not in languages.TRANSLATED:
        raise click.ClickException(
            f"{code!r} is not one of the portal's languages: {' '.join(languages.TRANSLATED)}"
        )
    return translations, translations / code / "LC_MESSAGES" / "messages.po"


def init_translation_cli(app: Flask) -> None:
    @app.cli.command("translation-pack")
    @click.option("--language", "code", required=True, help="A code such as ps or fa_AF.")
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
    def translation_pack_command(code: str, output: Path | None) -> None:
        """Write a language's messages to a CSV file a translator can fill in."""
        translations, po = _paths(code)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with (translations / languages.PUBLIC_TEMPLATE).open("rb") as handle:
            public = {
                m.id if isinstance(m.id, str) else m.id[0]: sorted({p for p, _ in m.locations})
                for m in read_po(handle)
                if m.id
            }
        target = output or Path(f"translation-pack-{code}.csv")
        target.write_text(translation_pack.write_pack(catalog, language=code, public=public))
        click.echo(f"Wrote {target}: give it to the translator; read it back with")
        click.echo(f"  make read-translation-pack LANG={code} FILE={target}")

    @app.cli.command("read-translation-pack")
    @click.option("--language", "code", required=True)
    @click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def read_translation_pack_command(code: str, pack: Path) -> None:
        """Read a filled-in pack back: nothing changes unless every row is right."""
        translations, po = _paths(code)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        reading = translation_pack.read_pack(
            pack.read_text(encoding="utf-8-sig"), catalog, language=code
        )
        if reading.problems:
            for problem in reading.problems:
                click.echo(problem, err=True)
            raise click.ClickException("Nothing was read back. Correct these rows and try again.")
        changed = translation_pack.apply(reading, catalog)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=76)
        statuses = translation_status.load(translations / "status.json")
        version = translation_pack.text_version(languages.public_message_ids(translations))
        statuses[code] = translation_status.after_reading_a_pack(
            reading.checked_by, version, today_in_england()
        )
        translation_status.save(translations / "status.json", statuses)
        said = f"checked by {reading.checked_by}" if reading.checked_by else "a draft"
        click.echo(f"{changed} messages changed; {code} is now {said}. Run `make translations`.")
