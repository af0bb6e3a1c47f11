package rest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorgon-commerce/gorgon/graph/server"
	"github.com/gorgon-commerce/gorgon/store"
)

// sessionCookie is the cookie name Medusa's express-session uses.
const sessionCookie = "connect.sid"

// sessionMaxAge is Medusa's cookie maxAge (10h); the server-side session itself lasts 24h like
// Medusa's JWT, and the cookie is refreshed on use, as express-session's rolling save does.
const sessionMaxAge = 10 * 60 * 60

// signSID signs a session id like cookie-signature (express-session): "s:" + sid + "." +
// base64(HMAC-SHA256(secret, sid)) without padding.
func (a *API) signSID(sid string) string {
	m := hmac.New(sha256.New, []byte(a.cfg.CookieSecret))
	m.Write([]byte(sid))
	return "s:" + sid + "." + strings.TrimRight(base64.StdEncoding.EncodeToString(m.Sum(nil)), "=")
}

// unsignSID checks a cookie value and returns the session id.
func (a *API) unsignSID(v string) (string, bool) {
	if u, err := url.QueryUnescape(v); err == nil {
		v = u
	}
	if !strings.HasPrefix(v, "s:") {
		return "", false
	}
	i := strings.LastIndexByte(v, '.')
	if i < 2 {
		return "", false
	}
	sid := v[2:i]
	if !hmac.Equal([]byte(a.signSID(sid)), []byte(v)) {
		return "", false
	}
	return sid, true
}

func (a *API) setSessionCookie(w http.ResponseWriter, sid string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: url.QueryEscape(a.signSID(sid)), Path: "/",
		MaxAge: sessionMaxAge, HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (a *API) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// sessionID returns the verified session id of the request, if any.
func (a *API) sessionID(r *http.Request) (string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	return a.unsignSID(c.Value)
}

// Authenticate admits requests carrying a valid session cookie or `Authorization: Bearer
// <api_token>` and puts the user in the context (store.UserFrom); others get Medusa's bare 401.
// It guards /admin and /graphql alike.
func (a *API) Authenticate(next http.Handler) http.Handler {
	return a.authenticate(next, func(w http.ResponseWriter, _ *http.Request) { writeUnauthorized(w) })
}

// AuthenticateGraphQL is Authenticate for /graphql: a request without valid credentials is
// answered 401 in GraphQL's error shape (errors[].extensions.code UNAUTHENTICATED, JSON), which
// GraphQL clients read. The playground page and its assets hold no data: they are served to
// anyone, and the page offers a login form when the endpoint answers 401. A WebSocket upgrade
// without credentials goes on too, unauthenticated: it must authenticate in its connection_init
// message, or is closed.
func (a *API) AuthenticateGraphQL(next http.Handler) http.Handler {
	return a.authenticate(next, func(w http.ResponseWriter, r *http.Request) {
		// A subscription WebSocket may carry its credentials in its connection_init message
		// instead: the connection is authenticated there (graph's websocketInit).
		if server.IsPublicGET(r, "/graphql") || server.IsWebsocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}` + "\n"))
	})
}

func (a *API) authenticate(next http.Handler, unauthorized func(http.ResponseWriter, *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if sid, ok := a.sessionID(r); ok {
			if u, err := a.store.SessionUser(ctx, sid); err == nil {
				next.ServeHTTP(w, r.WithContext(store.WithSessionID(store.WithUser(ctx, u), sid)))
				return
			} else if _, isStore := store.AsError(err); !isStore {
				writeError(w, r, err)
				return
			}
		}
		if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			u, err := a.store.UserByAPIToken(ctx, strings.TrimSpace(h[7:]))
			if err == nil {
				next.ServeHTTP(w, r.WithContext(store.WithUser(ctx, u)))
				return
			}
			if _, isStore := store.AsError(err); !isStore {
				writeError(w, r, err)
				return
			}
		}
		unauthorized(w, r)
	})
}

// authRequest is Medusa's AdminPostAuthReq.
type authRequest struct {
	Email    *string `json:"email" invalid:"must be an email"`
	Password *string `json:"password"`
}

// POST /admin/auth
func (a *API) createSession(w http.ResponseWriter, r *http.Request) {
	var in authRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	emailTyped, passTyped := !v.Has("email"), !v.Has("password") // no type error while decoding
	v.Add(emailTyped && (in.Email == nil || *in.Email == ""), "email", "email should not be empty")
	v.Add(emailTyped && (in.Email == nil || !store.IsEmail(*in.Email)), "email", "email must be an email")
	v.Add(passTyped && (in.Password == nil || *in.Password == ""), "password", "password should not be empty")
	v.Add(passTyped && in.Password == nil, "password", "password must be a string")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	u, err := a.store.Authenticate(r.Context(), *in.Email, *in.Password, clientAddr(r))
	if err != nil {
		if e, ok := store.AsError(err); ok && e.Type == store.Unauthorized {
			writeUnauthorized(w)
			return
		}
		writeError(w, r, err)
		return
	}
	sid, err := a.store.CreateSession(r.Context(), u.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	a.setSessionCookie(w, sid)
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
}

// GET /admin/auth
func (a *API) getSession(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"user": store.UserFrom(r.Context())})
}

// DELETE /admin/auth: ends the session server-side, so a copied cookie is dead too.
func (a *API) deleteSession(w http.ResponseWriter, r *http.Request) {
	if sid, ok := a.sessionID(r); ok {
		if err := a.store.DeleteSession(r.Context(), sid); err != nil {
			writeError(w, r, err)
			return
		}
	}
	a.clearSessionCookie(w)
	w.WriteHeader(http.StatusOK)
}
