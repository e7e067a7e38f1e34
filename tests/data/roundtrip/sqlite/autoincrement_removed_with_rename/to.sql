CREATE TABLE events ( -- strata:renamed-from ev
    id INTEGER PRIMARY KEY,
    kind TEXT CHECK (kind <> '')
);
CREATE TABLE note (id INTEGER PRIMARY KEY, ev_id INTEGER REFERENCES events (id), body TEXT);
