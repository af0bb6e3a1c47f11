package graph_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

func TestAppsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	const fields = `id displayName applicationName installUrl uninstallUrl data`
	list := `{ apps { totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor node { id } } nodes { ` + fields + ` } } }`
	gql(e, list, nil).Expect(t, 200, `{"data":{"apps":{"totalCount":0,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false},"edges":[],"nodes":[]}}}`)

	// Apps are installed by plugins; put two in as plugins would.
	if _, err := e.DB.Exec(`INSERT INTO oauth (id, display_name, application_name, install_url, data) VALUES
		('oauth_1', 'Test App', 'testapp', 'https://example.com/install', '{"state":"abc"}'),
		('oauth_2', 'Other App', 'otherapp', NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	app1 := `{"id":"oauth_1","displayName":"Test App","applicationName":"testapp","installUrl":"https://example.com/install","uninstallUrl":null,"data":{"state":"abc"}}`
	app2 := `{"id":"oauth_2","displayName":"Other App","applicationName":"otherapp","installUrl":null,"uninstallUrl":null,"data":null}`
	gql(e, list, nil).Expect(t, 200, `{"data":{"apps":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false},
		"edges":[{"cursor":"$string","node":{"id":"oauth_1"}},{"cursor":"$string","node":{"id":"oauth_2"}}],"nodes":[`+app1+`,`+app2+`]}}}`)
	res := gql(e, `{ apps(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, nil)
	res.Expect(t, 200, `{"data":{"apps":{"totalCount":2,"pageInfo":{"hasNextPage":true,"endCursor":"$string"},"nodes":[{"id":"oauth_1"}]}}}`)
	gql(e, `query($after: String) { apps(first: 5, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id } } }`,
		map[string]any{"after": nraString(t, res, "apps", "pageInfo", "endCursor")}).Expect(t, 200,
		`{"data":{"apps":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":true},"nodes":[{"id":"oauth_2"}]}}}`)

	gql(e, `{ node(id: "oauth_2") { id ... on App { `+fields+` } } missing: node(id: "oauth_9") { id } }`, nil).Expect(t, 200,
		`{"data":{"node":`+app2+`,"missing":null}}`)

	// Every authorization is a userError: no plugin handles the app, it is unknown, or the input
	// is empty.
	auth := `mutation($in: AuthorizeAppInput!) { authorizeApp(input: $in) { app { id } userErrors { field message code } } }`
	for _, c := range []struct {
		in   map[string]any
		want string
	}{
		{map[string]any{"applicationName": "testapp", "state": "abc", "code": "c"},
			`{"field":null,"message":"An OAuth handler for Test App could not be found make sure the plugin is installed","code":"INVALID_DATA"}`},
		{map[string]any{"applicationName": "nope", "state": "s", "code": "c"},
			`{"field":null,"message":"Oauth application nope not found","code":"NOT_FOUND"}`},
		{map[string]any{"applicationName": "", "state": "", "code": ""},
			`{"field":["applicationName"],"message":"application_name should not be empty, state should not be empty, code should not be empty","code":"INVALID_DATA"}`},
	} {
		gql(e, auth, map[string]any{"in": c.in}).Expect(t, 200, `{"data":{"authorizeApp":{"app":null,"userErrors":[`+c.want+`]}}}`)
	}

	// Nothing changed.
	gql(e, `{ apps { nodes { `+fields+` } } }`, nil).Expect(t, 200, `{"data":{"apps":{"nodes":[`+app1+`,`+app2+`]}}}`)
}
