package rest_test

import (
	"time"

	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func TestUsersCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/users", map[string]any{"email": "New@Test.com", "password": "pw-123456", "first_name": "Ada", "role": "developer"})
	res.Expect(t, 200, `{"user":{"id":"$id:usr","email":"new@test.com","first_name":"Ada","last_name":null,"api_token":null,
		"role":"developer","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)
	id := res.JSON(t)["user"].(map[string]any)["id"].(string)

	e.Do("GET", "/admin/users/"+id, nil).Expect(t, 200, `{"user":{"id":"`+id+`","email":"new@test.com","first_name":"Ada","last_name":null,
		"api_token":null,"role":"developer","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)

	e.Do("POST", "/admin/users/"+id, map[string]any{"last_name": "Lovelace", "metadata": map[string]any{"a": 1}}).Expect(t, 200,
		`{"user":{"id":"`+id+`","email":"new@test.com","first_name":"Ada","last_name":"Lovelace","api_token":null,"role":"developer",
		"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":{"a":1},"password_hash":null}}`)
	e.Do("POST", "/admin/users/"+id, map[string]any{"metadata": map[string]any{"b": 2}}).Expect(t, 200,
		`{"user":{"id":"`+id+`","email":"new@test.com","first_name":"Ada","last_name":"Lovelace","api_token":null,"role":"developer",
		"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":{"a":1,"b":2},"password_hash":null}}`)

	// Nothing to change ({} or the values it has): Medusa's save writes nothing, so updated_at stays
	// and the answer has no password_hash key.
	saved := e.Do("GET", "/admin/users/"+id, nil).JSON(t)["user"].(map[string]any)["updated_at"].(string)
	unchanged := `{"user":{"id":"` + id + `","email":"new@test.com","first_name":"Ada","last_name":"Lovelace","api_token":null,
		"role":"developer","created_at":"$time","updated_at":"` + saved + `","deleted_at":null,"metadata":{"a":1,"b":2}}}`
	time.Sleep(5 * time.Millisecond)
	e.Do("POST", "/admin/users/"+id, map[string]any{}).Expect(t, 200, unchanged)
	e.Do("POST", "/admin/users/"+id, map[string]any{"first_name": "Ada", "role": "developer", "metadata": map[string]any{"b": 2}}).
		Expect(t, 200, unchanged)
	e.Do("GET", "/admin/users/"+id, nil).Expect(t, 200, unchanged)

	// Duplicate email: 422, not Medusa's 500.
	e.Do("POST", "/admin/users", map[string]any{"email": "new@test.com", "password": "x"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"A user with the same email already exists."}`)

	e.Do("DELETE", "/admin/users/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"user","deleted":true}`)
	e.Do("GET", "/admin/users/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"User with id: `+id+` was not found"}`)
	// Deleting again is fine (idempotent, as Medusa).
	e.Do("DELETE", "/admin/users/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"user","deleted":true}`)
}

func TestUsersBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/users", map[string]any{"email": "nope", "role": "boss"}).
		Expect(t, 400, `{"type":"invalid_data","message":"email must be an email, password must be a string"}`)
	e.Do("POST", "/admin/users", map[string]any{"email": "a@b.co", "password": "x", "role": "boss"}).
		Expect(t, 400, `{"type":"invalid_data","message":"role must be a valid enum value"}`)
	e.Do("POST", "/admin/users/"+e.AdminID, map[string]any{"email": "x@y.z"}).
		Expect(t, 400, `{"type":"invalid_data","message":"property email should not exist"}`)
	e.Do("POST", "/admin/users/"+e.AdminID, map[string]any{"first_name": 5}).
		Expect(t, 400, `{"type":"invalid_data","message":"first_name must be a string"}`)
	e.Do("POST", "/admin/users/usr_missing", map[string]any{"first_name": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"User with id: usr_missing was not found"}`)
	// Nothing changed.
	users, _ := e.Store.ListUsers(context.Background())
	if len(users) != 1 || users[0].FirstName != nil {
		t.Fatalf("users changed: %+v", users)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.DoAnon("POST", "/admin/users/password-token", map[string]any{"email": "admin@test.com"})
	if res.Status != 204 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	var token string
	if err := e.DB.QueryRow(`SELECT data->>'token' FROM gorgon.event WHERE name = 'user.password_reset'`).Scan(&token); err != nil {
		t.Fatal(err)
	}
	e.DoAnon("POST", "/admin/users/reset-password", map[string]any{"token": "garbage", "password": "new"}).
		Expect(t, 400, `{"type":"invalid_data","message":"invalid token"}`)
	e.DoAnon("POST", "/admin/users/reset-password", map[string]any{"token": token, "password": "new-password"}).
		Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	// Single use: the token was signed with the old hash.
	e.DoAnon("POST", "/admin/users/reset-password", map[string]any{"token": token, "password": "again"}).
		ExpectText(t, 401, "Invalid or expired password reset token")
	e.DoAnon("POST", "/admin/auth", map[string]any{"email": "admin@test.com", "password": "new-password"}).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	e.DoAnon("POST", "/admin/users/password-token", map[string]any{"email": "ghost@test.com"}).
		Expect(t, 404, `{"type":"not_found","message":"User with email: ghost@test.com was not found"}`)
	e.DoAnon("POST", "/admin/users/password-token", map[string]any{}).
		Expect(t, 400, `{"type":"invalid_data","message":"email must be an email"}`)
}

func TestUsersMatchSpec(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("GET", "/admin/users", nil).MatchesSpec(t, "GET", "/admin/users")
	e.Do("GET", "/admin/users/"+e.AdminID, nil).MatchesSpec(t, "GET", "/admin/users/"+e.AdminID)
	e.Do("GET", "/admin/auth", nil).MatchesSpec(t, "GET", "/admin/auth")
	e.Do("GET", "/admin/invites", nil).MatchesSpec(t, "GET", "/admin/invites")
}

// Medusa lists users by email: its query (WHERE deleted_at IS NULL) is answered by the unique
// partial index on email of a shop's small, never analysed user table.
func TestUsersListOrder(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	user := func(email string) string {
		return `{"id":"$id:usr","email":"` + email + `","first_name":null,"last_name":null,"api_token":null,"role":"member",
			"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}`
	}
	for _, email := range []string{"zoe@test.com", "bob@test.com"} {
		e.Do("POST", "/admin/users", map[string]any{"email": email, "password": "pw-123456"}).Expect(t, 200, `{"user":`+user(email)+`}`)
	}
	e.Do("GET", "/admin/users", nil).Expect(t, 200, `{"users":[`+adminUserJSON+`,`+user("bob@test.com")+`,`+user("zoe@test.com")+`]}`)
}
