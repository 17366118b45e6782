// Stub: replaced by the builder shortly.
