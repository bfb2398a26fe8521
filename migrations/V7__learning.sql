-- Learning: per-lesson progress and time spent, quiz attempts, assignment submissions,
-- certificates and course reviews. Enrolments (V2) gain heartbeat and last-lesson columns.

ALTER TABLE enrollments ADD COLUMN last_lesson_id TEXT;
ALTER TABLE enrollments ADD COLUMN last_heartbeat_at TEXT;
ALTER TABLE enrollments ADD COLUMN time_spent_seconds INTEGER NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0);
CREATE INDEX enrollments_order ON enrollments (order_id);
CREATE INDEX enrollments_user ON enrollments (user_id, status);

-- One row per enrolment and lesson the learner has touched; kept when the enrolment is
-- revoked so a re-purchase resumes where the learner left off.
CREATE TABLE lesson_progress (
    enrollment_id      TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lesson_id          TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    completed_at       TEXT,
    time_spent_seconds INTEGER NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (enrollment_id, lesson_id)
);

CREATE TABLE quiz_attempts (
    id            TEXT PRIMARY KEY,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lesson_id     TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    score_percent INTEGER NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
    passed        INTEGER NOT NULL CHECK (passed IN (0, 1)),
    correct_count INTEGER NOT NULL CHECK (correct_count >= 0),
    -- JSON array of {question_id, answer} as sent.
    answers       TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX quiz_attempts_enrollment ON quiz_attempts (enrollment_id, lesson_id);

CREATE TABLE submissions (
    id            TEXT PRIMARY KEY,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lesson_id     TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    course_id     TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id),
    text          TEXT,
    url           TEXT,
    media_id      TEXT REFERENCES media (id) ON DELETE SET NULL,
    status        TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'graded')),
    score         INTEGER CHECK (score IS NULL OR score >= 0),
    passed        INTEGER CHECK (passed IS NULL OR passed IN (0, 1)),
    feedback      TEXT,
    graded_by     TEXT REFERENCES users (id),
    graded_at     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX submissions_course ON submissions (course_id, status);
CREATE INDEX submissions_enrollment ON submissions (enrollment_id, lesson_id);
-- At most one open (ungraded) submission per learner and lesson.
CREATE UNIQUE INDEX submissions_one_open ON submissions (enrollment_id, lesson_id) WHERE status = 'submitted';

-- A completion certificate; a revoked enrolment revokes it. Re-completion after a
-- re-purchase issues a new serial and keeps the old, revoked one verifiable.
CREATE TABLE certificates (
    id            TEXT PRIMARY KEY,
    serial        TEXT NOT NULL UNIQUE,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id),
    course_id     TEXT NOT NULL REFERENCES courses (id),
    issued_at     TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE INDEX certificates_enrollment ON certificates (enrollment_id, revoked_at);

CREATE TABLE reviews (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id),
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    hidden_at  TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (user_id, course_id)
);
CREATE INDEX reviews_course ON reviews (course_id, hidden_at, id);
