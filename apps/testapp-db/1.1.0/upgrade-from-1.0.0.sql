-- testapp-db: schema 1.0.0 -> 1.0.1. {{prefix}} is the table prefix.
ALTER TABLE {{prefix}}users ADD COLUMN last_login DATETIME NULL AFTER is_admin;
UPDATE {{prefix}}settings SET value = '1.0.1' WHERE name = 'db_version';
