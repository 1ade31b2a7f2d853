-- testapp-db: schema 1.1.0 -> 2.0.0 (the settings table becomes options). {{prefix}} is the table prefix.
CREATE TABLE {{prefix}}options (
  option_name VARCHAR(64) NOT NULL PRIMARY KEY,
  option_value TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO {{prefix}}options (option_name, option_value) SELECT name, value FROM {{prefix}}settings;
DROP TABLE {{prefix}}settings;
UPDATE {{prefix}}options SET option_value = '2.0.0' WHERE option_name = 'db_version';
