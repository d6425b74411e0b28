// Package auth knows who may see what: Argon2id password hashes,
// database-backed sessions with idle and absolute expiry, bearer API tokens
// hashed at rest, login throttling, and Permit (act × role × owner). The
// users, roles, sessions and tokens it works on, and the stores' interfaces,
// are declared below the store in package identity (store/sqlite and
// store/postgres implement them), and its callers name them there. It never
// touches HTTP.
package auth
