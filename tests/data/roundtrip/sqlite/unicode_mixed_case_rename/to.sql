-- strata:renamed-from "Café"
CREATE TABLE "Cafés Ünïcode" (
    "Id" INTEGER PRIMARY KEY,
    "Prix €" REAL, -- strata:renamed-from "Prix"
    "naïve" TEXT NOT NULL DEFAULT 'ß',
    "MiXeD" TEXT
);
CREATE INDEX "Idx Prix €" ON "Cafés Ünïcode" ("Prix €" DESC);
