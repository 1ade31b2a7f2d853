-- testapp-db: schema 1.0.1 -> 1.1.0 (adds posts). {{prefix}} is the table prefix.
CREATE TABLE {{prefix}}posts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO {{prefix}}posts (title, body) VALUES ('Hello world 🌍', 'The first post of testapp-db.');
UPDATE {{prefix}}settings SET value = '1.1.0' WHERE name = 'db_version';
