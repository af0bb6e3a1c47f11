"use strict"
// Auth (cookie session and API token), users, invites (create, list, accept, delete) and the
// password-reset endpoints, through medusa-js as the admin dashboard calls them.
const assert = require("node:assert/strict")
const Medusa = require("@medusajs/medusa-js").default
const { admin, tokenClient, sessionClient, ok, okWith, fails, like, m, steps, RUN, BASE_URL, EMAIL, API_TOKEN, expressNotFound } = require("./lib.js")
const step = steps(__filename)

const user = (fields) => ({
  id: m.id("usr"),
  created_at: m.date,
  updated_at: m.date,
  deleted_at: null,
  role: "member",
  email: m.string,
  first_name: null,
  last_name: null,
  api_token: null,
  metadata: null,
  ...fields,
})

const s = {}

step("auth: createSession sets the connect.sid cookie and answers the user", async () => {
  const c = sessionClient()
  const body = await ok(c.admin.auth.createSession({ email: EMAIL, password: "supersecret" }))
  like(body, { user: user({ email: EMAIL, api_token: API_TOKEN, first_name: m.any, last_name: m.any, role: m.any, metadata: m.any }) })
  assert.ok(c.jar["connect.sid"], "connect.sid cookie set")
  s.me = body.user
})

step("auth: getSession with the cookie, then with the API token (apiKey and customHeaders)", async () => {
  const c = await admin()
  like(await ok(c.admin.auth.getSession()), { user: s.me })
  like(await ok(tokenClient().admin.auth.getSession()), { user: s.me })
  const bare = new Medusa({ baseUrl: BASE_URL, maxRetries: 0 })
  like(await ok(bare.admin.auth.getSession({ Authorization: `Bearer ${API_TOKEN}` })), { user: s.me })
})

step("auth: wrong password and no credentials answer 401 Unauthorized", async () => {
  const c = sessionClient()
  like(await fails(c.admin.auth.createSession({ email: EMAIL, password: "wrong" })), { status: 401, body: "Unauthorized" })
  like(await fails(c.admin.auth.getSession()), { status: 401, body: "Unauthorized" })
  like(await fails(c.admin.regions.list()), { status: 401, body: "Unauthorized" })
})

step("auth: createSession with a malformed email is refused by validation", async () => {
  const c = sessionClient()
  like(await fails(c.admin.auth.createSession({ email: "not-an-email", password: "x" })), {
    status: 400,
    body: { type: "invalid_data", message: "email must be an email" },
  })
})

step("auth: deleteSession ends the cookie session", async () => {
  const c = sessionClient()
  await ok(c.admin.auth.createSession({ email: EMAIL, password: "supersecret" }))
  like(await ok(c.admin.auth.deleteSession()), {})
  like(await fails(c.admin.auth.getSession()), { status: 401, body: "Unauthorized" })
})

step("users: create, retrieve, update, list", async () => {
  const c = await admin()
  const email = `${RUN}-user@example.com`
  const created = await ok(c.admin.users.create({ email, password: "secret123", first_name: "Ada", last_name: "Byron", role: "member" }))
  s.user = created.user
  like(created, { user: user({ email, first_name: "Ada", last_name: "Byron" }) })
  like(await ok(c.admin.users.retrieve(s.user.id)), { user: { ...s.user } })

  const updated = await ok(c.admin.users.update(s.user.id, { first_name: "Augusta", role: "developer", metadata: { team: "ops" } }))
  // Medusa's update answers the saved entity, which carries password_hash: null.
  like(updated, {
    user: user({ id: s.user.id, email, first_name: "Augusta", last_name: "Byron", role: "developer", metadata: { team: "ops" }, password_hash: null }),
  })
  const list = await ok(c.admin.users.list())
  like(Object.keys(list), ["users"])
  like(list.users.filter((u) => u.email.startsWith(RUN)), [
    user({ id: s.user.id, email, first_name: "Augusta", last_name: "Byron", role: "developer", metadata: { team: "ops" } }),
  ])
})

step("users: validation and duplicate email", async () => {
  const c = await admin()
  like(await fails(c.admin.users.create({ email: "notanemail", password: "x" })), {
    status: 400,
    body: { type: "invalid_data", message: "email must be an email" },
  })
  like(await fails(c.admin.users.update(s.user.id, { role: "king" })), {
    status: 400,
    body: { type: "invalid_data", message: "role must be a valid enum value" },
  })
})

step("users: password-token (204) for a known email, 404 for an unknown one; reset-password refuses a bad token", async () => {
  const c = sessionClient() // unauthenticated endpoints
  // 204 No Content: medusa-js spreads the empty string into an empty object.
  like(await ok(c.admin.users.sendResetPasswordToken({ email: `${RUN}-user@example.com` }), 204), {})
  like(await fails(c.admin.users.sendResetPasswordToken({ email: `${RUN}-nobody@example.com` })), {
    status: 404,
    body: { type: "not_found", message: `User with email: ${RUN}-nobody@example.com was not found` },
  })
  like(await fails(c.admin.users.resetPassword({ token: "not-a-token", password: "x" })), {
    status: 400,
    body: { type: "invalid_data", message: "invalid token" },
  })
})

step("users: delete, then retrieve answers 404", async () => {
  const c = await admin()
  like(await ok(c.admin.users.delete(s.user.id)), { id: s.user.id, object: "user", deleted: true })
  like(await fails(c.admin.users.retrieve(s.user.id)), {
    status: 404,
    body: { type: "not_found", message: `User with id: ${s.user.id} was not found` },
  })
})

const invite = (fields) => ({
  id: m.id("invite"),
  created_at: m.date,
  updated_at: m.date,
  deleted_at: null,
  user_email: m.string,
  role: "member",
  accepted: false,
  token: m.matches(/^[\w-]+\.[\w-]+\.[\w-]+$/),
  expires_at: m.date,
  metadata: null,
  ...fields,
})

step("invites: create answers the text OK; list shows the invite", async () => {
  const c = await admin()
  const { body, response } = await okWith(c.admin.invites.create({ user: `${RUN}-inv@example.com`, role: "developer" }))
  // The text "OK", which medusa-js spreads into its answer.
  assert.match(response.headers["content-type"], /^text\/plain/)
  like(body, { 0: "O", 1: "K" })
  const list = await ok(c.admin.invites.list())
  like(Object.keys(list), ["invites"])
  const mine = list.invites.filter((i) => i.user_email.startsWith(RUN))
  like(mine, [invite({ user_email: `${RUN}-inv@example.com`, role: "developer" })])
  s.invite = mine[0]
  // Invites expire a week after they are sent.
  const week = new Date(s.invite.expires_at) - new Date(s.invite.created_at)
  assert.ok(Math.abs(week - 7 * 24 * 3600e3) < 60e3, `expires a week later (${week} ms)`)
})

step("invites: resend through medusa-js posts to /admin/invites/:id, a route Medusa does not have (404)", async () => {
  const c = await admin()
  like(await fails(c.admin.invites.resend(s.invite.id)), { status: 404, body: expressNotFound("POST", `/admin/invites/${s.invite.id}`) })
})

step("invites: accept with the token creates the user, who can then log in", async () => {
  const c = await admin()
  const { body, response } = await okWith(c.admin.invites.accept({ token: s.invite.token, user: { first_name: "In", last_name: "Vited", password: "pass1234" } }))
  assert.match(response.headers["content-type"], /^text\/plain/)
  like(body, { 0: "O", 1: "K" })
  const list = await ok(c.admin.invites.list())
  like(list.invites.filter((i) => i.user_email.startsWith(RUN)), [])

  const newcomer = sessionClient()
  const session = await ok(newcomer.admin.auth.createSession({ email: `${RUN}-inv@example.com`, password: "pass1234" }))
  like(session, { user: user({ email: `${RUN}-inv@example.com`, first_name: "In", last_name: "Vited", role: "developer" }) })
  s.invited = session.user
  like(await ok(newcomer.admin.auth.getSession()), { user: s.invited })
})

step("invites: inviting an existing user, a bad token, deleting an invite", async () => {
  const c = await admin()
  like(await fails(c.admin.invites.create({ user: `${RUN}-inv@example.com`, role: "member" })), {
    status: 400,
    body: { type: "invalid_data", message: "Can't invite a user with an existing account" },
  })
  like(await fails(c.admin.invites.accept({ token: "x", user: { first_name: "a", last_name: "b", password: "c" } })), {
    status: 400,
    body: { type: "invalid_data", message: "Token is not valid" },
  })
  await ok(c.admin.invites.create({ user: `${RUN}-inv2@example.com`, role: "admin" }))
  const inv = (await ok(c.admin.invites.list())).invites.find((i) => i.user_email === `${RUN}-inv2@example.com`)
  like(inv, invite({ user_email: `${RUN}-inv2@example.com`, role: "admin" }))
  like(await ok(c.admin.invites.delete(inv.id)), { id: inv.id, object: "invite", deleted: true })
  like((await ok(c.admin.invites.list())).invites.filter((i) => i.user_email.startsWith(RUN)), [])
  // Leave no users behind on a shared database.
  await ok(c.admin.users.delete(s.invited.id))
})
