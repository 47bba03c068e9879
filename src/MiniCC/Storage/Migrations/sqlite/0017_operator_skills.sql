-- MiniCC schema 17: operators' skills (issue 14). Each row is a queue the operator serves (MiniCC:Queues:N:Name) and
-- their level in it (1-10, higher first among the queues of one priority). An operator without a row serves every
-- queue, so a center with one queue needs none.
CREATE TABLE operator_skills (
    operator_id  INTEGER      NOT NULL,
    queue_name   VARCHAR(64)  NOT NULL,
    level        INTEGER      NOT NULL,
    PRIMARY KEY (operator_id, queue_name)
);
