// Package archtest holds no code: its test reads the module's import graph
// with `go list -json` and fails when a package imports across an arrow that
// docs/ARCHITECTURE.md forbids (a store importing a capability, a capability
// importing a store implementation, anything importing the CLI, ...).
package archtest
