"""002: one place hands out load ids: the sequence ``load_id_seq``, started past the largest
id a warehouse made before already holds (the start value needs a query, hence Python)."""


def migrate(con) -> None:
    start = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0][0]
    con.execute(f"CREATE SEQUENCE IF NOT EXISTS load_id_seq START WITH {int(start)}")
