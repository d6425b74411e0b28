package auth

import (
	"context"

	"sufficiency/identity"
)

// Administration of users: disabling and enabling, changing a password,
// listing and ending sessions, listing and revoking API tokens. The CLI's
// "sufficiency user" verbs and the admin pages call the same AdminStore.

// ChangePassword hashes the new password and sets it, ending the user's
// sessions. EINVALID when the password is too short or too long.
func ChangePassword(ctx context.Context, st identity.AdminStore, name, password string) (int, error) {
	h, err := HashPassword(password)
	if err != nil {
		return 0, err
	}
	return st.SetPassword(ctx, name, h)
}

// AddUser checks u (User.Validate), keeps only the hash of password and
// creates the user in st. ECONFLICT for a name already taken.
func AddUser(ctx context.Context, st identity.Store, u identity.User, password string) (identity.User, error) {
	if err := u.Validate(); err != nil {
		return identity.User{}, err
	}
	h, err := HashPassword(password)
	if err != nil {
		return identity.User{}, err
	}
	u.PasswordHash = h
	return st.CreateUser(ctx, u)
}
