package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const adminUserJSON = `{"id":"$id:usr","email":"admin@test.com","first_name":null,"last_name":null,"api_token":"test_token",
	"role":"admin","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}`

func login(t *testing.T, e *resttest.Env) string {
	t.Helper()
	res := e.DoAnon("POST", "/admin/auth", map[string]any{"email": "ADMIN@test.com", "password": "secret-password"})
	res.Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	cookie := res.Header.Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "connect.sid=s%3A") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Fatalf("cookie %q", cookie)
	}
	return strings.SplitN(cookie, ";", 2)[0]
}

func TestAuthSessionLifecycle(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	cookie := login(t, e)
	withCookie := map[string]string{"Cookie": cookie}

	e.DoWith("GET", "/admin/auth", nil, withCookie).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	e.DoWith("GET", "/admin/users", nil, withCookie).Expect(t, 200, `{"users":[`+adminUserJSON+`]}`)

	res := e.DoWith("DELETE", "/admin/auth", nil, withCookie)
	if res.Status != 200 {
		t.Fatalf("logout: %d %s", res.Status, res.Body)
	}
	// The session is dead server-side: the old cookie no longer works.
	e.DoWith("GET", "/admin/auth", nil, withCookie).ExpectText(t, 401, "Unauthorized")
}

func TestAuthRejects(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.DoAnon("POST", "/admin/auth", map[string]any{"email": "admin@test.com", "password": "wrong"}).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/auth", map[string]any{"email": "nobody@test.com", "password": "x"}).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/auth", map[string]any{"email": "not-an-email", "password": "x", "extra": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property extra should not exist, email must be an email"}`)
	e.DoAnon("POST", "/admin/auth", map[string]any{}).Expect(t, 400, `{"type":"invalid_data",
		"message":"email should not be empty, email must be an email, password should not be empty, password must be a string"}`)
	e.DoAnon("POST", "/admin/auth", map[string]any{"email": 5}).Expect(t, 400, `{"type":"invalid_data",
		"message":"email must be an email, password should not be empty, password must be a string"}`)
	e.DoAnon("GET", "/admin/auth", nil).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("GET", "/admin/users", nil).ExpectText(t, 401, "Unauthorized")
	e.DoWith("GET", "/admin/users", nil, map[string]string{"Authorization": "Bearer nope"}).ExpectText(t, 401, "Unauthorized")
	// Medusa's development mode takes a user id as a token; Gorgon never does.
	e.DoWith("GET", "/admin/users", nil, map[string]string{"Authorization": "Bearer " + e.AdminID}).ExpectText(t, 401, "Unauthorized")
	// A forged cookie is refused.
	e.DoWith("GET", "/admin/auth", nil, map[string]string{"Cookie": "connect.sid=s%3Aabc.def"}).ExpectText(t, 401, "Unauthorized")
}

func TestHealth(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.DoAnon("GET", "/health", nil)
	if res.Status != http.StatusOK || string(res.Body) != "OK" {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
}

func TestUnknownPropertiesInBodyOrder(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.DoAnon("POST", "/admin/auth", `{"zeta":1,"email":"a@b.co","alpha":2,"password":"x"}`).
		Expect(t, 400, `{"type":"invalid_data","message":"property zeta should not exist, property alpha should not exist"}`)
}
