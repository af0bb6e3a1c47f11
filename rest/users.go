package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func (a *API) userRoutes(r chi.Router) {
	r.Get("/users", a.listUsers)
	r.Post("/users", a.createUser)
	r.Get("/users/{id}", a.getUser)
	r.Post("/users/{id}", a.updateUser)
	r.Delete("/users/{id}", a.deleteUser)
}

// deleted is Medusa's DeleteResponse.
type deleted struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// GET /admin/users: Medusa lists every user, without pagination.
func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := a.store.ListUsers(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.store.GetUser(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
}

// createUserRequest is Medusa's AdminCreateUserRequest.
type createUserRequest struct {
	Email     *string `json:"email" invalid:"must be an email"`
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Role      *string `json:"role"`
	Password  *string `json:"password"`
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) {
	var in createUserRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(!v.Has("email") && (in.Email == nil || !store.IsEmail(*in.Email)), "email", "email must be an email")
	v.Add(!v.Has("password") && in.Password == nil, "password", "password must be a string")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	u, err := a.store.CreateUser(r.Context(), store.CreateUserInput{
		Email: *in.Email, FirstName: in.FirstName, LastName: in.LastName, Role: in.Role, Password: *in.Password,
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
}

// updateUserRequest is Medusa's AdminUpdateUserRequest.
type updateUserRequest struct {
	FirstName *string        `json:"first_name"`
	LastName  *string        `json:"last_name"`
	Role      *string        `json:"role"`
	APIToken  *string        `json:"api_token"`
	Metadata  map[string]any `json:"metadata"`
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) {
	var in updateUserRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	u, saved, err := a.store.UpdateUserSaved(r.Context(), chi.URLParam(r, "id"), store.UpdateUserInput(in))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !saved {
		writeJSON(w, http.StatusOK, map[string]any{"user": u})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": updatedUser{User: u}})
}

// updatedUser is the user as Medusa's POST /admin/users/:id answers it after a change: the entity
// TypeORM saved, which carries a password_hash key that is always null (the hash itself is never
// selected). When nothing changed TypeORM writes nothing and the key is absent.
type updatedUser struct {
	*model.User
	PasswordHash *string `json:"password_hash"`
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteUser(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "user", Deleted: true})
}

// passwordTokenRequest is Medusa's AdminResetPasswordTokenRequest.
type passwordTokenRequest struct {
	Email *string `json:"email" invalid:"must be an email"`
}

// POST /admin/users/password-token (no auth): answers 204 and hands the token to the
// user.password_reset event only.
func (a *API) passwordToken(w http.ResponseWriter, r *http.Request) {
	var in passwordTokenRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	email := ""
	if in.Email != nil {
		email = *in.Email
	}
	if _, err := a.store.CreatePasswordResetToken(r.Context(), email); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// resetPasswordRequest is Medusa's AdminResetPasswordRequest.
type resetPasswordRequest struct {
	Email    *string `json:"email" invalid:"must be an email"`
	Token    *string `json:"token"`
	Password *string `json:"password"`
}

// POST /admin/users/reset-password (no auth).
func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) {
	var in resetPasswordRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(in.Email != nil && !store.IsEmail(*in.Email), "email", "email must be an email")
	v.Add(in.Token == nil, "token", "token must be a string")
	v.Add(in.Password == nil, "password", "password must be a string")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	u, err := a.store.ResetPassword(r.Context(), in.Email, *in.Token, *in.Password)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
}
