"""SQLite-backed state: JSON documents keyed by (kind, id).

One connection shared by all threads behind a re-entrant lock (a write
transaction holds the lock from the read of a server to the write of its new
state, so concurrent actions never interleave).  A file database uses WAL.
"""

import contextlib
import json
import sqlite3
import threading

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    parent TEXT,
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (kind, parent);
CREATE TABLE IF NOT EXISTS kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class Store:
    """Thread-safe document store."""

    def __init__(self, path=None):
        self.path = path
        self.lock = threading.RLock()
        self._depth = 0
        self.conn = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        if path:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)

    def close(self):
        with self.lock:
            self.conn.close()

    @contextlib.contextmanager
    def tx(self):
        """A write transaction (nestable; only the outermost one commits)."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.conn.execute("COMMIT")

    # documents
    def get(self, kind, doc_id):
        with self.lock:
            row = self.conn.execute("SELECT doc FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, kind, doc_id, doc, parent=None):
        with self.lock:
            self.conn.execute(
                "INSERT INTO docs (kind, id, parent, doc) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET doc=excluded.doc, parent=excluded.parent",
                (kind, doc_id, parent, json.dumps(doc)))

    def delete(self, kind, doc_id):
        with self.lock:
            cur = self.conn.execute("DELETE FROM docs WHERE kind=? AND id=?", (kind, doc_id))
        return cur.rowcount > 0

    def list(self, kind, parent=None):
        """Documents of a kind in insertion order (optionally those of one parent)."""
        with self.lock:
            if parent is None:
                rows = self.conn.execute("SELECT doc FROM docs WHERE kind=? ORDER BY rowid", (kind,)).fetchall()
            else:
                rows = self.conn.execute("SELECT doc FROM docs WHERE kind=? AND parent=? ORDER BY rowid",
                                         (kind, parent)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def update_all(self, kind, func):
        """Apply ``func(doc) -> doc`` to every document of a kind."""
        with self.tx():
            rows = self.conn.execute("SELECT id, doc FROM docs WHERE kind=?", (kind,)).fetchall()
            for doc_id, raw in rows:
                self.conn.execute("UPDATE docs SET doc=? WHERE kind=? AND id=?",
                                  (json.dumps(func(json.loads(raw))), kind, doc_id))

    # key/value
    def kv_get(self, key, default=None):
        with self.lock:
            row = self.conn.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def kv_set(self, key, value):
        with self.lock:
            self.conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value=excluded.value", (key, json.dumps(value)))

    def wipe(self):
        with self.tx():
            self.conn.execute("DELETE FROM docs")
            self.conn.execute("DELETE FROM kv")
