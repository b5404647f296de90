#!/usr/bin/env node
// A complete local Bluesky network for Signalboost's tests and benchmarks: PLC (in memory), PDS, AppView (bsky)
// and Ozone from @atproto/dev-env, with a throw-away PostgreSQL 15 cluster for the AppView and Ozone.
//
//   node network.js [--accounts N] [--brand-posts N] [--posts-per-account N] [--follows-min N]
//                   [--follows-spread N] [--seed S]
//
// Every listener is bound to 127.0.0.1. The network is seeded deterministically (a seeded PRNG, fixed createdAt
// times), indexed with processAll() (never by sleeping), then ONE line of JSON is printed on stdout:
//   {"ready": true, "pds": "http://127.0.0.1:PORT", "appview": ..., "brand": {"handle", "did", "password",
//    "app_password"}, "truth": {...}, "startup_ms": ..., "seed_ms": ..., "rss_mb": ...}
// It then reads commands, one JSON object a line, on stdin and answers each with one JSON line:
//   {"op": "process"}               index everything written since (after a publish)
//   {"op": "phase2"}                a deterministic second round of writes (new follows, posts, likes, ...)
//   {"op": "truth"}                 the ground truth for the brand account now
//   {"op": "rss"}                   the resident memory of this process in MB
// The network, PostgreSQL and the temporary folder are gone once stdin closes (or on SIGTERM/SIGINT).
'use strict'

const net = require('node:net')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, spawnSync } = require('node:child_process')

// ---------------------------------------------------------------------------------------------- loopback only
// The dev-env servers call listen(port): bind them to 127.0.0.1 instead of every interface.
const origListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1')
  } else if (args[0] && typeof args[0] === 'object' && !args[0].path && !args[0].host) {
    args[0] = { ...args[0], host: '127.0.0.1' }
  }
  return origListen.apply(this, args)
}

function argValue(name, fallback) {
  const i = process.argv.indexOf(name)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback
}

const N_ACCOUNTS = Number(argValue('--accounts', '40'))
const POSTS_PER_ACCOUNT = Number(argValue('--posts-per-account', '3'))
const BRAND_POSTS = Number(argValue('--brand-posts', '25'))
const SEED = Number(argValue('--seed', '7'))
const FOLLOWS_MIN = Number(argValue('--follows-min', '3'))
const FOLLOWS_SPREAD = Number(argValue('--follows-spread', '8'))

// ---------------------------------------------------------------------------------------------- PostgreSQL
function findPgBin() {
  for (const dir of ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin']) {
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir
  }
  throw new Error('PostgreSQL not found: install Debian\'s `postgresql` (scripts/system-deps.sh test)')
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    origListen.call(srv, 0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function startPostgres(tmp) {
  const bin = findPgBin()
  const data = path.join(tmp, 'pg')
  const asRoot = process.getuid && process.getuid() === 0
  // initdb refuses to run as root: run the server as the `postgres` user Debian's package creates.
  const wrap = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args])
  fs.mkdirSync(data, { mode: 0o700 })
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', tmp])
  const [c1, a1] = wrap(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8',
    '--locale=C.UTF-8', '--no-sync'])
  const init = spawnSync(c1, a1, { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`)
  const port = await freePort()
  const [c2, a2] = wrap(path.join(bin, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', tmp,
    '-F', '-c', 'max_connections=200', '-c', 'shared_buffers=64MB', '-c', 'full_page_writes=off',
    '-c', 'synchronous_commit=off'])
  const proc = spawn(c2, a2, { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  proc.stderr.on('data', (d) => { log += d })
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true) })
      s.on('error', () => resolve(false))
    })
    if (ok) {
      // accepting TCP is not yet accepting queries: pg_isready
      const ready = spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)])
      if (ready.status === 0) return { proc, port, data, url: `postgresql://postgres@127.0.0.1:${port}/postgres` }
    }
    if (proc.exitCode !== null) throw new Error(`postgres exited: ${log}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`postgres did not start: ${log}`)
}

function stopPostgres(pg) {
  // SIGQUIT to the postmaster (its pid is the first line of postmaster.pid): immediate shutdown; the cluster is
  // thrown away anyway. runuser would not forward a signal to it.
  try {
    const pid = Number(fs.readFileSync(path.join(pg.data, 'postmaster.pid'), 'utf8').split('\n')[0])
    if (pid > 0) process.kill(pid, 'SIGQUIT')
  } catch (e) { /* already gone */ }
  for (let i = 0; i < 200 && fs.existsSync(path.join(pg.data, 'postmaster.pid')); i++) spawnSync('sleep', ['0.02'])
}

// ---------------------------------------------------------------------------------------------- seeding
function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BASE = Date.parse('2026-10-01T08:00:00Z')
let clock = 0
function nextTime() {
  clock += 1
  return new Date(BASE + clock * 61_000).toISOString()
}

const ENGAGEMENT = {} // brand post uri -> the likes, reposts, replies, quotes the seed gave it
let MENTIONS = 0
const TOPICS = ['linen', 'denim', 'upcycling', 'slow fashion', 'dyeing', 'knitwear', 'tailoring', 'thrift']

// Writes are planned in a deterministic order (every rand() and createdAt taken while planning) and then run
// CONCURRENCY at a time: the PDS takes writes to different repositories in parallel.
const CONCURRENCY = Number(argValue('--concurrency', '8'))
async function runAll(tasks) {
  for (let i = 0; i < tasks.length; i += CONCURRENCY) {
    await Promise.all(tasks.slice(i, i + CONCURRENCY).map((t) => t()))
  }
}

async function seedPhase1(sc, rand) {
  const brandPw = 'brand-pass-' + SEED
  const brand = await sc.createAccount('brand', { handle: 'brand.test', email: 'brand@test.com', password: brandPw })
  await sc.createProfile(brand.did, 'Brand Studio', 'A small clothing brand. Slow fashion, linen, denim.')
  const users = new Array(N_ACCOUNTS)
  await runAll([...Array(N_ACCOUNTS).keys()].map((i) => async () => {
    const u = await sc.createAccount(`u${i}`, { handle: `user${i}.test`, email: `user${i}@test.com`, password: `pw-${i}` })
    await sc.createProfile(u.did, `User ${i}`, `Writes about ${TOPICS[i % TOPICS.length]}.`)
    users[i] = u.did
  }))
  // follows: ~70% follow the brand, the brand follows ~25%, everyone follows a few others
  const tasks = []
  for (let i = 0; i < users.length; i++) {
    if (rand() < 0.7) { const at = nextTime(); tasks.push(() => sc.follow(users[i], brand.did, { createdAt: at })) }
    if (rand() < 0.25) { const at = nextTime(); tasks.push(() => sc.follow(brand.did, users[i], { createdAt: at })) }
    const k = FOLLOWS_MIN + Math.floor(rand() * FOLLOWS_SPREAD)
    const picked = new Set()
    for (let j = 0; j < k; j++) {
      const t = Math.floor(rand() * users.length)
      if (t === i || picked.has(t)) continue
      picked.add(t)
      const at = nextTime()
      tasks.push(() => sc.follow(users[i], users[t], { createdAt: at }))
    }
  }
  await runAll(tasks)
  await writePosts(sc, rand, brand.did, users, BRAND_POSTS, POSTS_PER_ACCOUNT)
  return { brand, brandPw, users }
}

async function writePosts(sc, rand, brandDid, users, brandPosts, perUser) {
  const brandRefs = []
  for (let p = 0; p < brandPosts; p++) {
    const text = `Brand post ${(sc.posts[brandDid] || []).length + 1} about ${TOPICS[p % TOPICS.length]} #slowfashion`
    const post = await sc.post(brandDid, text, undefined, undefined, undefined, { createdAt: nextTime() })
    brandRefs.push(post.ref)
  }
  const userRefs = new Array(users.length * perUser)
  const postTasks = []
  users.forEach((u, ui) => {
    for (let p = 0; p < perUser; p++) {
      const text = `Post ${p} on ${TOPICS[Math.floor(rand() * TOPICS.length)]}`
      const at = nextTime()
      postTasks.push(async () => {
        userRefs[ui * perUser + p] = (await sc.post(u, text, undefined, undefined, undefined, { createdAt: at })).ref
      })
    }
  })
  await runAll(postTasks)
  // engagement: likes, reposts, replies, quotes on the brand's posts; likes and replies among users
  const tasks = []
  for (const ref of brandRefs) {
    const e = (ENGAGEMENT[ref.uriStr] = { likes: 0, reposts: 0, replies: 0, quotes: 0 })
    for (const u of users) {
      const r = rand()
      if (r < 0.3) { const at = nextTime(); tasks.push(() => sc.like(u, ref, { createdAt: at })); e.likes++ }
      if (r < 0.08) { const at = nextTime(); tasks.push(() => sc.repost(u, ref, { createdAt: at })); e.reposts++ }
      if (r > 0.95) {
        const text = `Love this, ${TOPICS[Math.floor(rand() * TOPICS.length)]}!`
        const at = nextTime()
        tasks.push(() => sc.reply(u, ref, ref, text, undefined, undefined, { createdAt: at }))
        e.replies++
      }
      if (r > 0.985) {
        const at = nextTime()
        tasks.push(() => sc.post(u, 'Quoting the brand', undefined, undefined, ref, { createdAt: at }))
        e.quotes++
      }
    }
  }
  for (const ref of userRefs) {
    const liker = users[Math.floor(rand() * users.length)]
    if (rand() < 0.5) { const at = nextTime(); tasks.push(() => sc.like(liker, ref, { createdAt: at })) }
    if (rand() < 0.1) { const at = nextTime(); tasks.push(() => sc.reply(liker, ref, ref, 'Agreed', undefined, undefined, { createdAt: at })) }
    if (rand() < 0.05) { const at = nextTime(); tasks.push(() => sc.repost(liker, ref, { createdAt: at })) }
  }
  // mentions of the brand
  for (let i = 0; i < Math.max(1, Math.floor(users.length / 10)); i++) {
    const u = users[Math.floor(rand() * users.length)]
    const text = '@brand.test your linen shirts are great'
    const facets = [{ index: { byteStart: 0, byteEnd: 11 },
      features: [{ $type: 'app.bsky.richtext.facet#mention', did: brandDid }] }]
    const at = nextTime()
    tasks.push(() => sc.post(u, text, facets, undefined, undefined, { createdAt: at }))
    MENTIONS++
  }
  await runAll(tasks)
}

async function seedPhase2(sc, rand, state) {
  const { brand, users } = state
  const following = sc.follows[brand.did] || {}
  // 5 new followers of the brand, 2 new follows by the brand, new posts with engagement, one unfollow
  let added = 0
  for (const u of users) {
    if (added >= 5) break
    if (!(sc.follows[u] || {})[brand.did]) { await sc.follow(u, brand.did, { createdAt: nextTime() }); added++ }
  }
  let followed = 0
  for (const u of users) {
    if (followed >= 2) break
    if (!following[u]) { await sc.follow(brand.did, u, { createdAt: nextTime() }); followed++ }
  }
  await writePosts(sc, rand, brand.did, users.slice(0, Math.ceil(users.length / 2)), 5, 1)
}

// The counts the AppView serves for the brand's posts. Its like/repost/reply aggregates are updated by concurrent
// indexing transactions and can miss one of two writes indexed at once (seen: 6 likes served where 7 were
// seeded), so a sync — which reads these counts — is checked against them; the seeded counts stay in `engagement`.
async function served(network, brandDid, uris) {
  const agent = network.bsky.getClient()
  const out = {}
  for (let i = 0; i < uris.length; i += 25) {
    const headers = await network.serviceHeaders(brandDid, 'app.bsky.feed.getPosts')
    const { data } = await agent.app.bsky.feed.getPosts({ uris: uris.slice(i, i + 25) }, { headers })
    for (const p of data.posts) {
      const seeded = ENGAGEMENT[p.uri] || { likes: 0, reposts: 0, replies: 0, quotes: 0 }
      const n = (v, fallback) => (typeof v === 'number' ? v : fallback)
      out[p.uri] = { likes: n(p.likeCount, seeded.likes), reposts: n(p.repostCount, seeded.reposts),
        replies: n(p.replyCount, seeded.replies), quotes: n(p.quoteCount, seeded.quotes) }
    }
  }
  return out
}

async function truth(sc, network, brandDid) {
  const agent = network.bsky.getClient()
  const headers = await network.serviceHeaders(brandDid, 'app.bsky.actor.getProfile')
  const { data: profile } = await agent.app.bsky.actor.getProfile({ actor: brandDid }, { headers })
  const brandPosts = (sc.posts[brandDid] || []).map((p) => p.ref.uriStr)
  const followers = Object.keys(sc.follows).filter((d) => sc.follows[d][brandDid])
  const follows = Object.keys(sc.follows[brandDid] || {})
  let accounts = 0
  let follows_total = 0
  let posts_total = 0
  let likes_total = 0
  let reposts_total = 0
  let replies_total = 0
  for (const d of Object.keys(sc.accounts)) {
    accounts++
    follows_total += Object.keys(sc.follows[d] || {}).length
    posts_total += (sc.posts[d] || []).length + (sc.replies[d] || []).length
    likes_total += Object.keys(sc.likes[d] || {}).length
    reposts_total += (sc.reposts[d] || []).length
    replies_total += (sc.replies[d] || []).length
  }
  return {
    brand_did: brandDid,
    profile: { followers: profile.followersCount, follows: profile.followsCount, posts: profile.postsCount },
    followers: followers.sort(),
    follows: follows.sort(),
    brand_posts: brandPosts.sort(),
    engagement: ENGAGEMENT,
    served: await served(network, brandDid, brandPosts),
    mentions: MENTIONS,
    network: { accounts, follows: follows_total, posts: posts_total, likes: likes_total, reposts: reposts_total,
      replies: replies_total },
  }
}

// ---------------------------------------------------------------------------------------------- main
async function main() {
  const t0 = Date.now()
  process.env.REDIS_HOST = process.env.REDIS_HOST || '127.0.0.1:6379' // required by TestNetwork, never connected
  process.env.LOG_ENABLED = 'false'
  process.noDeprecation = true
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signalboost-bsky-'))
  fs.chmodSync(tmp, 0o755)
  let pg = null
  let network = null
  let closing = false
  const shutdown = async (code) => {
    if (closing) return
    closing = true
    // network.close() can wait on idle database pools: give it 3 s, then stop PostgreSQL regardless
    if (network) await Promise.race([network.close().catch(() => {}), new Promise((r) => setTimeout(r, 3000))])
    if (pg) stopPostgres(pg)
    fs.rmSync(tmp, { recursive: true, force: true })
    process.exit(code)
  }
  process.on('exit', () => { if (pg && !closing) stopPostgres(pg); fs.rmSync(tmp, { recursive: true, force: true }) })
  process.on('uncaughtException', (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); shutdown(1) })
  process.on('SIGTERM', () => shutdown(0))
  process.on('SIGINT', () => shutdown(0))
  try {
    pg = await startPostgres(tmp)
    const { TestNetwork, SeedClient } = require('@atproto/dev-env')
    network = await TestNetwork.create({ dbPostgresUrl: pg.url, dbPostgresSchema: 'signalboost' })
    const startupMs = Date.now() - t0
    const t1 = Date.now()
    const sc = network.getSeedClient()
    const rand = mulberry32(SEED)
    const state = await seedPhase1(sc, rand)
    await network.processAll(60_000)
    const agent = network.pds.getClient()
    await agent.login({ identifier: 'brand.test', password: state.brandPw })
    const { data: appPw } = await agent.com.atproto.server.createAppPassword({ name: 'signalboost-tests' })
    const seedMs = Date.now() - t1
    const out = {
      ready: true,
      pds: network.pds.url.replace('localhost', '127.0.0.1'),
      appview: network.bsky.url.replace('localhost', '127.0.0.1'),
      brand: { handle: 'brand.test', did: state.brand.did, password: state.brandPw, app_password: appPw.password },
      truth: await truth(sc, network, state.brand.did),
      startup_ms: startupMs,
      seed_ms: seedMs,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }
    process.stdout.write(JSON.stringify(out) + '\n')
    const rl = require('node:readline').createInterface({ input: process.stdin })
    let queue = Promise.resolve()
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        let reply
        try {
          const cmd = JSON.parse(line)
          if (cmd.op === 'process') {
            await network.processAll(60_000)
            reply = { ok: true }
          } else if (cmd.op === 'phase2') {
            await seedPhase2(sc, rand, state)
            await network.processAll(60_000)
            reply = { ok: true, truth: await truth(sc, network, state.brand.did) }
          } else if (cmd.op === 'truth') {
            reply = { ok: true, truth: await truth(sc, network, state.brand.did) }
          } else if (cmd.op === 'rss') {
            reply = { ok: true, rss_mb: Math.round(process.memoryUsage().rss / 1e6) }
          } else {
            reply = { ok: false, error: `unknown op ${cmd.op}` }
          }
        } catch (e) {
          reply = { ok: false, error: String(e && e.stack || e) }
        }
        process.stdout.write(JSON.stringify(reply) + '\n')
      })
    })
    rl.on('close', () => { queue.then(() => shutdown(0)) })
  } catch (e) {
    process.stderr.write(String(e && e.stack || e) + '\n')
    await shutdown(1)
  }
}

main()
