-- MiniCC schema 11: a user who signs in to the pages may be an operator, who then takes calls in the browser (the desk).
ALTER TABLE users ADD COLUMN operator_id BIGINT NULL REFERENCES operator_directory (id);
