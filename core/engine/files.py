"""Local files as an ItemReader / ResultWriter backend, for the CLI and tests.

Ordinary handlers a host registers; nothing here is reachable unless it does::

    registry.register("file:read", file_reader(root))
    registry.register("file:write", file_writer(root))
    # or, to run an AWS definition unchanged against a local folder:
    registry.register("arn:aws:states:::s3:getObject", file_reader(root))
    registry.register("arn:aws:states:::s3:putObject", file_writer(root))
    registry.register("arn:aws:states:::s3:listObjectsV2", file_lister(root))

A location is `Path`, or `Bucket` and `Key` (read as the folder `Bucket` and the
file `Key` in it), always relative to `root`. Absolute paths, `..` and symbolic
links that lead out of `root` are refused: a definition is data from users and
must not reach the rest of the machine.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from statum.core.engine.handlers import HandlerRegistry, TaskFailure

FILE_READ = "file:read"
FILE_WRITE = "file:write"
FILE_LIST = "file:list"
S3_GET = "arn:aws:states:::s3:getObject"
S3_PUT = "arn:aws:states:::s3:putObject"
S3_LIST = "arn:aws:states:::s3:listObjectsV2"

ACCESS_DENIED = "Statum.FileAccessDenied"
NOT_FOUND = "Statum.FileNotFound"

# Far above any sensible dataset for a local run, low enough that a mistaken
# path (a disk image, a log) fails instead of filling the memory.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def _inside(root: Path, *parts: Any) -> Path:
    """`root` joined with the relative path `parts`; TaskFailure if it leaves root."""
    texts = [p for p in parts if isinstance(p, str) and p]
    if not texts:
        raise TaskFailure(ACCESS_DENIED, "No file named: give 'Path', or 'Key'.")
    relative = PurePosixPath(*texts)
    if relative.is_absolute() or any(t.startswith(("/", "\\")) for t in texts):
        raise TaskFailure(
            ACCESS_DENIED, f"'{relative}' is absolute; name a path under the root."
        )
    if ".." in relative.parts or any("\\" in t or ":" in t for t in texts):
        raise TaskFailure(
            ACCESS_DENIED, f"'{relative}' may not contain '..', '\\' or ':'."
        )
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise TaskFailure(ACCESS_DENIED, f"'{relative}' leads out of the root.")
    return target


def _location(root: Path, parameters: Any, key: Any = None) -> Path:
    request = parameters if isinstance(parameters, dict) else {}
    if key is None and isinstance(request.get("Path"), str):
        return _inside(root, request["Path"])
    return _inside(root, request.get("Bucket"), key or request.get("Key"))


def file_reader(
    root: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Callable[[Any], str]:
    """A handler that answers with the text of the file its parameters name."""
    base = Path(root).resolve()

    def read(parameters: Any) -> str:
        path = _location(base, parameters)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise TaskFailure(
                    ACCESS_DENIED,
                    f"'{path.relative_to(base)}' is {size} bytes, over the reader's "
                    f"limit of {max_bytes}.",
                )
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TaskFailure(
                NOT_FOUND, f"No file '{path.relative_to(base)}' under the root."
            ) from None
        except (IsADirectoryError, UnicodeDecodeError) as exc:
            raise TaskFailure(ACCESS_DENIED, str(exc)) from None

    return read


def file_writer(root: str | Path) -> Callable[[Any], Any]:
    """A handler that writes a ResultWriter's `Files` under the folder its
    parameters name (`Bucket`, when given) and answers where the manifest is."""
    base = Path(root).resolve()

    def write(parameters: Any) -> Any:
        request = parameters if isinstance(parameters, dict) else {}
        files = request.get("Files")
        if not isinstance(files, list):
            raise TaskFailure(
                ACCESS_DENIED, "Nothing to write: the request has no 'Files' list."
            )
        # Check every location before writing anything.
        targets = [
            (_location(base, request, f.get("Key")), f.get("Body"))
            for f in files
            if isinstance(f, dict)
        ]
        for path, body in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body if isinstance(body, str) else "", encoding="utf-8")
        return {"Bucket": request.get("Bucket", ""), "Key": request.get("ManifestKey")}

    return write


def file_lister(
    root: str | Path, *, max_keys: int = 1_000_000
) -> Callable[[Any], dict[str, Any]]:
    """A handler that lists the files under `Bucket`/`Prefix` as ListObjectsV2
    does: `{"Contents": [{"Key", "Size", "LastModified", "StorageClass"}]}`, with
    keys relative to the bucket folder, in key order."""
    base = Path(root).resolve()

    def list_files(parameters: Any) -> dict[str, Any]:
        request = parameters if isinstance(parameters, dict) else {}
        bucket = request.get("Bucket")
        folder = _inside(base, bucket) if isinstance(bucket, str) and bucket else base
        prefix = request.get("Prefix")
        prefix = prefix if isinstance(prefix, str) else ""
        if prefix:
            _inside(folder, prefix)  # the same refusals as any other path
        contents: list[dict[str, Any]] = []
        for path in sorted(folder.rglob("*")):
            key = path.relative_to(folder).as_posix()
            if not path.is_file() or not key.startswith(prefix):
                continue
            if not path.resolve().is_relative_to(base):
                continue  # a symbolic link out of the root is not listed
            if len(contents) >= max_keys:
                raise TaskFailure(
                    ACCESS_DENIED, f"More than {max_keys} files under the prefix."
                )
            stat = path.stat()
            modified = datetime.fromtimestamp(stat.st_mtime, UTC)
            contents.append(
                {
                    "Key": key,
                    "Size": stat.st_size,
                    "LastModified": modified.isoformat().replace("+00:00", "Z"),
                    "StorageClass": "STANDARD",
                }
            )
        return {"Contents": contents}

    return list_files


def register_file_backend(
    registry: HandlerRegistry, root: str | Path, *, as_s3: bool = False
) -> None:
    """Serve `file:read`, `file:write` and `file:list` from `root`; with `as_s3`,
    also AWS's S3 ItemReader/ResultWriter resources, so that an AWS definition
    runs unchanged against a local folder (a bucket is a folder under `root`)."""
    reader, writer, lister = file_reader(root), file_writer(root), file_lister(root)
    names = [(FILE_READ, reader), (FILE_WRITE, writer), (FILE_LIST, lister)]
    if as_s3:
        names += [(S3_GET, reader), (S3_PUT, writer), (S3_LIST, lister)]
    for name, handler in names:
        registry.register(name, handler)
