package auth

import "context"

// Administration of users: disabling and enabling, changing a password,
// listing and ending sessions, listing and revoking API tokens. The CLI's
// "sufficiency user" verbs and the admin pages call the same AdminStore.

// ChangePassword hashes the new password and sets it, ending the user's
// sessions. EINVALID when the password is too short or too long.
func ChangePassword(ctx context.Context, st AdminStore, name, password string) (int, error) {
	h, err := HashPassword(password)
	if err != nil {
		return 0, err
	}
	return st.SetPassword(ctx, name, h)
}
