-- MiniCC schema 11: a user who signs in to the pages may be an operator, who then takes calls in the browser (the desk).
-- No foreign key: removing an operator unlinks their user (OperatorStore.RemoveAsync), and a link to no operator means none.
ALTER TABLE users ADD COLUMN operator_id INTEGER NULL;
