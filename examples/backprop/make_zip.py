"""Build examples/backprop/submissions/dave.zip from examples/backprop/zip_source/dave/,
byte for byte the same.

Every entry gets a fixed timestamp (1980-01-01) and permissions, entries are in sorted
order and stored uncompressed, so the zip depends only on the files' contents.

Usage: ``python examples/backprop/make_zip.py`` (from anywhere).
"""

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "zip_source" / "dave"
TARGET = HERE / "submissions" / "dave.zip"
EPOCH = (1980, 1, 1, 0, 0, 0)


def build(source=SOURCE):
    """The bytes of a zip holding every file under ``source``, paths relative to it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=EPOCH)
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, whatever the machine
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def main():
    TARGET.write_bytes(build())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
