package care

import (
	"errors"
	"fmt"
)

// Error codes. They are mapped to process exit status by the CLI and to HTTP
// status by the web layer, once, at the edge.
const (
	EINVALID      = "invalid"      // the caller's input breaks a rule; fixable by the caller
	EUNUSABLE     = "unusable"     // input that cannot be read at all (unreadable file, no recognisable table)
	EREJECTED     = "rejected"     // input was read but breaks rules (e.g. validation errors); nothing was changed
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	ECONFLICT     = "conflict"     // the action conflicts with current state (e.g. a place already reserved)
	EUNAUTHORIZED = "unauthorized" // no valid identity
	EFORBIDDEN    = "forbidden"    // identity known, but not allowed
	EBUSY         = "busy"         // too much at once (sign-ins, heavy pages): try again after a wait
	EINTERNAL     = "internal"     // a fault of ours; the message is not shown to users
)

// Error is the single application error type. Code is one of the E* constants;
// Message is written for the person who must act on it (what is wrong and what
// to do). Err, if set, is the underlying cause and is reachable via errors.Unwrap.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with the given code and message wrapping err.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the first *Error in err's chain,
// or a generic message for other errors (internal details are not for users).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}
