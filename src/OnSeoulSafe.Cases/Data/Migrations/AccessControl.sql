-- Who may do what, appended to the generated baseline migration (kept in this file so regenerating it keeps it).
-- The portal connects as a login role that is a member of portal_app; migrations run as the owner of the tables.
-- The access log and its seal chain are append-only for the portal: it cannot UPDATE, DELETE or TRUNCATE them.
DO $grants$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal_app') THEN
        CREATE ROLE portal_app NOLOGIN;
    END IF;
END
$grants$;

GRANT USAGE ON SCHEMA public TO portal_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portal_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO portal_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portal_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO portal_app;

REVOKE UPDATE, DELETE, TRUNCATE ON "AccessLog", "AccessLogSeals" FROM portal_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "__EFMigrationsHistory" FROM portal_app;
