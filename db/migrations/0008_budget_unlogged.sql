-- The request budget is pacing state, not a record of anything: a crash may empty it (every lease then
-- ends at once, as it would after its 90 s) and it is rebuilt on the next request. Without WAL, a grant's
-- commit does not wait for the disk, so the time between the grant and the request leaving is short and
-- steady (a grant stamped before a slow fsync reached QuickBooks late, in the next second's window).
ALTER TABLE "realm_budgets" SET UNLOGGED;
