-- Performance (issue 11): a queued mail keeps its template's values (a JSON array of
-- [name, value] pairs) and the mail worker renders the bodies when it sends, instead of the
-- write that queues it rendering and storing about 2 KB of bodies. The bodies are stored
-- once the mail is sent (cleared, with the values, when they hold a secret).
ALTER TABLE outbox ADD COLUMN vars TEXT;
