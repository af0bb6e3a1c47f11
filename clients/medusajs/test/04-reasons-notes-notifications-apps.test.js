"use strict"
// Return reasons (with a child), notes, notifications, apps.
const { admin, ok, fails, like, m, steps, RUN } = require("./lib.js")
const step = steps(__filename)

const s = {}

const reasonRow = (fields) => ({
  id: m.id("rr"),
  created_at: m.date,
  updated_at: m.date,
  deleted_at: null,
  value: m.string,
  label: m.string,
  description: null,
  parent_return_reason_id: null,
  metadata: null,
  ...fields,
})
// A return reason as answered by create/retrieve/update/list: the row with its parent and
// children, where the row itself has no metadata key.
const reason = (fields, parent, children) => {
  const { metadata, ...row } = reasonRow(fields)
  return { ...row, parent_return_reason: parent, return_reason_children: children }
}

step("return reasons: create a reason and a child", async () => {
  const c = await admin()
  const parent = await ok(c.admin.returnReasons.create({ value: `${RUN}_damaged`, label: "Damaged", description: "Arrived broken" }))
  s.parent = parent.return_reason
  like(parent, { return_reason: reason({ value: `${RUN}_damaged`, label: "Damaged", description: "Arrived broken" }, null, []) })
  const child = await ok(c.admin.returnReasons.create({ value: `${RUN}_scratched`, label: "Scratched", parent_return_reason_id: s.parent.id, metadata: { severity: 1 } }))
  s.child = child.return_reason
  // The parent as a plain row (with metadata, without relations), as nested answers show it.
  const { parent_return_reason, return_reason_children, ...row } = s.parent
  s.parentRow = { ...row, metadata: null }
  like(child, { return_reason: reason({ value: `${RUN}_scratched`, label: "Scratched", parent_return_reason_id: s.parent.id }, s.parentRow, []) })
})

step("return reasons: retrieve and list show the child under its parent only", async () => {
  const c = await admin()
  const childRow = reasonRow({ id: s.child.id, value: `${RUN}_scratched`, label: "Scratched", parent_return_reason_id: s.parent.id, metadata: { severity: 1 } })
  const expected = reason(s.parentRow, null, [childRow])
  like(await ok(c.admin.returnReasons.retrieve(s.parent.id)), { return_reason: expected })
  const list = await ok(c.admin.returnReasons.list())
  like(Object.keys(list), ["return_reasons"])
  like(list.return_reasons.filter((r) => r.value.startsWith(RUN)), [expected])
})

step("return reasons: update, validation, delete (children go with the parent)", async () => {
  const c = await admin()
  const updated = await ok(c.admin.returnReasons.update(s.child.id, { label: "Scratch", description: "Light marks" }))
  like(updated, {
    return_reason: reason({ id: s.child.id, value: `${RUN}_scratched`, label: "Scratch", description: "Light marks", parent_return_reason_id: s.parent.id }, s.parentRow, []),
  })
  like(await fails(c.admin.returnReasons.create({ label: "No value" })), { status: 400, body: { type: "invalid_data", message: "value must be a string" } })
  like(await ok(c.admin.returnReasons.delete(s.parent.id)), { id: s.parent.id, object: "return_reason", deleted: true })
  like(await fails(c.admin.returnReasons.retrieve(s.child.id)), {
    status: 404,
    body: { type: "not_found", message: `Return Reason with id: ${s.child.id} was not found.` },
  })
  like((await ok(c.admin.returnReasons.list())).return_reasons.filter((r) => r.value.startsWith(RUN)), [])
})

step("notes: create two, retrieve with author, list by resource_id with paging", async () => {
  const c = await admin()
  const me = (await ok(c.admin.auth.getSession())).user
  const note = (fields) => ({
    id: m.id("note"),
    created_at: m.date,
    updated_at: m.date,
    deleted_at: null,
    resource_type: "order",
    resource_id: `${RUN}_order`,
    value: m.string,
    author_id: me.id,
    metadata: {},
    ...fields,
  })
  const first = await ok(c.admin.notes.create({ resource_id: `${RUN}_order`, resource_type: "order", value: "first" }))
  like(first, { note: note({ value: "first" }) })
  const second = await ok(c.admin.notes.create({ resource_id: `${RUN}_order`, resource_type: "order", value: "second" }))
  s.notes = [first.note, second.note]
  like(await ok(c.admin.notes.retrieve(first.note.id)), { note: { ...first.note, author: me } })
  like(await ok(c.admin.notes.list({ resource_id: `${RUN}_order` })), {
    notes: s.notes.map((n) => ({ ...n, author: me })),
    count: 2,
    offset: 0,
    limit: 50,
  })
  like(await ok(c.admin.notes.list({ resource_id: `${RUN}_order`, limit: 1, offset: 1 })), {
    notes: [{ ...second.note, author: me }],
    count: 1,
    offset: 1,
    limit: 1,
  })
  s.me = me
})

step("notes: update, delete, 404 after", async () => {
  const c = await admin()
  const [first, second] = s.notes
  like(await ok(c.admin.notes.update(first.id, { value: "changed" })), { note: { ...first, value: "changed", updated_at: m.date, author: s.me } })
  like(await fails(c.admin.notes.create({ resource_id: `${RUN}_order`, value: "x" })), {
    status: 400,
    body: { type: "invalid_data", message: "resource_type should not be empty, resource_type must be a string" },
  })
  for (const n of [first, second]) {
    like(await ok(c.admin.notes.delete(n.id)), { id: n.id, object: "note", deleted: true })
  }
  like(await fails(c.admin.notes.retrieve(first.id)), { status: 404, body: { type: "not_found", message: `Note with id: ${first.id} was not found.` } })
  like(await ok(c.admin.notes.list({ resource_id: `${RUN}_order` })), { notes: [], count: 0, offset: 0, limit: 50 })
})

step("notifications: list filtered (no notification provider sends here), resend of an unknown id", async () => {
  const c = await admin()
  like(await ok(c.admin.notifications.list({ resource_type: "order", resource_id: `${RUN}_order`, limit: 5 })), { notifications: [] })
  like(await ok(c.admin.notifications.list({ to: `${RUN}@example.com` })), { notifications: [] })
  like(await fails(c.admin.notifications.resend(`noti_${RUN}`, {})), {
    status: 404,
    body: { type: "not_found", message: `Notification with id: noti_${RUN} was not found.` },
  })
})

step("apps: list (medusa-js 1.2.6 has no apps resource; its request() sends the call)", async () => {
  const c = await admin()
  like(await ok(c.client.request("GET", "/admin/apps")), { apps: [] })
})
