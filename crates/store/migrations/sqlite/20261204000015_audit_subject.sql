-- Whether an account ever signed in (its first sign-in is welcomed) reads the trail by subject.
CREATE INDEX audit_events_subject_action ON audit_events (subject, action);
