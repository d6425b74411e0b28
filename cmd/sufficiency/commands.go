package main

// commands is the whole command table, in the order "help" lists them.
// Each verb lives in its own file (validate.go, import.go, ...).
func commands() []command {
	return []command{
		{Name: "version", Summary: "print the version", Run: runVersion},
	}
}
