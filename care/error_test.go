package care_test

import (
	"errors"
	"fmt"
	"testing"

	"sufficiency/care"
)

func TestErrorCode(t *testing.T) {
	cause := errors.New("disk full")
	tests := []struct {
		name string
		err  error
		code string
		msg  string
	}{
		{"Nil", nil, "", ""},
		{"Plain", errors.New("boom"), care.EINTERNAL, "internal error"},
		{"Coded", care.Errorf(care.EINVALID, "bad %s", "sex"), care.EINVALID, "bad sex"},
		{"Wrapped", fmt.Errorf("ctx: %w", care.Errorf(care.ENOTFOUND, "no council E1")), care.ENOTFOUND, "no council E1"},
		{"WithCause", care.WrapError(care.EINTERNAL, cause, "write db"), care.EINTERNAL, "write db: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := care.ErrorCode(tt.err); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
			if got := care.ErrorMessage(tt.err); got != tt.msg {
				t.Errorf("message = %q, want %q", got, tt.msg)
			}
		})
	}
	if !errors.Is(care.WrapError(care.EINTERNAL, cause, "x"), cause) {
		t.Error("WrapError does not unwrap to its cause")
	}
}
