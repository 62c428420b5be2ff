#!/usr/bin/env node
// Records what Node gives, the values the plugin runtime must give too, into
// job/src/test/resources/plugin-runtime/node-cases.json, which PluginVmNodeCompatTest checks.
// Plain Node, no packages: Node 20.19 or later of the 20 line (the version the file names; it
// requires an ES-module .js file, and another major version brings other ICU data). Re-record
// after changing a case or a fixture plugin with:
//
//     node bench/node/record-node-cases.js
//
// Two kinds of case:
// - `cases`: each expression is the body of an arrow function, so it is written as code; its
//   source text is what both sides evaluate with an indirect eval(). A result is recorded as
//   "ok " + JSON (bigints as strings) or "throws <name>: <message>".
// - `plugins`: the project's fixture plugins (udf-plugins/fixtures) run on sample events as the
//   original plugin server ran them: plugin.json's main is required, setupPlugin runs once, then
//   processEvent once per event with meta (config, attachments with Buffer contents, in-memory
//   storage and cache, global). Each event gives {result: the returned value as JSON text, or
//   null} or {error: {name, message}} (name null and message String(value) for a thrown non-Error).
//
// It runs as the original plugin server did: time zone UTC and no locale from the environment (so
// Intl's default locale is en-US).
'use strict'

const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')

if (process.env.TZ !== 'UTC' || process.env.LANG || process.env.LC_ALL || process.env.LC_MESSAGES) {
    const env = { ...process.env, TZ: 'UTC' }
    for (const name of Object.keys(env)) if (name === 'LANG' || name === 'LANGUAGE' || name.startsWith('LC_')) delete env[name]
    process.exit(spawnSync(process.execPath, [__filename], { env, stdio: 'inherit' }).status)
}

const OUTPUT = path.join(__dirname, '../../job/src/test/resources/plugin-runtime/node-cases.json')
const FIXTURES = path.join(__dirname, '../../udf-plugins/fixtures')

const CASES = [
    // Buffer
    () => Buffer.from('héllo wörld €😀').toString('hex'),
    () => Buffer.from('héllo wörld €😀').toString('base64'),
    () => Buffer.from('héllo wörld €😀').toString('base64url'),
    () => Buffer.from('héllo', 'latin1').toString('hex'),
    () => Buffer.from('héllo', 'binary').toString('latin1'),
    () => Buffer.from('héllo', 'ascii').toString('ascii'),
    () => Buffer.from('héllo', 'utf16le').toString('hex'),
    () => Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString(),
    () => Buffer.from('aGVsbG8gd29ybGQ', 'base64').toString(),
    () => Buffer.from('aGVs bG8\nd29y_-', 'base64').toString('hex'),
    () => Buffer.from('aGVsbG8=d29y', 'base64').toString(),
    () => Buffer.from('48656c6c6f', 'hex').toString(),
    () => Buffer.from('48656c6c6', 'hex').toString('hex'),
    () => Buffer.from('4865zz6c', 'hex').toString('hex'),
    () => Buffer.from([0xff, 0xfe, 0x41, 0xe2, 0x82]).toString(),
    () => Buffer.from([0xed, 0xa0, 0x80, 0x41]).toString(),
    () => Buffer.from('\ud800x').toString('hex'),
    () => Buffer.from([256, -1, 1.5, '7']).toString('hex'),
    () => Buffer.from(new Uint16Array([1, 258])).toString('hex'),
    () => Buffer.from({ type: 'Buffer', data: [104, 105] }).toString(),
    () => Buffer.from(new String('str')).toString(),
    () => (() => { const ab = new Uint8Array([1,2,3,4]).buffer; const b = Buffer.from(ab, 1, 2); b[0] = 9; return [...new Uint8Array(ab)]; })(),
    () => Buffer.from('abc').length,
    () => Buffer.from('€').length,
    () => Buffer.byteLength('héllo €😀'),
    () => Buffer.byteLength('aGk=', 'base64'),
    () => Buffer.byteLength('abcd', 'hex'),
    () => Buffer.byteLength(new Uint8Array(5)),
    () => Buffer.alloc(4, 'ab').toString(),
    () => Buffer.alloc(3, 1).toString('hex'),
    () => Buffer.alloc(5, 'aGk=', 'base64').toString(),
    () => Buffer.alloc(0).length,
    () => Buffer.concat([Buffer.from('ab'), new Uint8Array([99]), Buffer.from('de')]).toString(),
    () => Buffer.concat([Buffer.from('ab'), Buffer.from('cd')], 3).toString(),
    () => Buffer.concat([Buffer.from('ab')], 4).toString('hex'),
    () => Buffer.concat([]).length,
    () => Buffer.isBuffer(Buffer.from('x')),
    () => Buffer.isBuffer(new Uint8Array(1)),
    () => Buffer.from('x') instanceof Uint8Array,
    () => Buffer.isEncoding('UTF-8'),
    () => Buffer.isEncoding('nope'),
    () => Buffer.compare(Buffer.from('a'), Buffer.from('b')),
    () => Buffer.from('abc').equals(Buffer.from('abc')),
    () => Buffer.from('abc').equals(new Uint8Array([97, 98])),
    () => Buffer.from('abcdef').slice(1, -1).toString(),
    () => (() => { const b = Buffer.from('abc'); b.slice(1)[0] = 0x7a; return b.toString(); })(),
    () => Buffer.from('abcdef').subarray(-2).toString(),
    () => Buffer.isBuffer(Buffer.from('abc').slice(1)),
    () => Buffer.isBuffer(Buffer.from('abc').map((x) => x + 1)),
    () => Buffer.from('abcdef').toString('utf8', 1, 3),
    () => Buffer.from('abcdef').toString(undefined, -5, 100),
    () => JSON.stringify(Buffer.from('hi')),
    () => JSON.stringify({ b: Buffer.from([1, 2]) }),
    () => String(Buffer.from('text')),
    () => Buffer.from('hi') + '!',
    () => JSON.parse(Buffer.from('{"a":[1,2]}')).a[1],
    () => (() => { const b = Buffer.alloc(6); const n = b.write('héllo', 1); return [n, b.toString('hex')]; })(),
    () => (() => { const b = Buffer.alloc(3); const n = b.write('a€'); return [n, b.toString('hex')]; })(),
    () => (() => { const b = Buffer.alloc(4); return [b.write('ffee', 'hex'), b.toString('hex')]; })(),
    () => (() => { const b = Buffer.alloc(4); return [b.write('abcdef', 1, 2, 'latin1'), b.toString('hex')]; })(),
    () => (() => { const b = Buffer.from('hello'); const t = Buffer.alloc(3); return [b.copy(t, 1, 2), t.toString('hex')]; })(),
    () => Buffer.from('hello world').indexOf('o'),
    () => Buffer.from('hello world').indexOf('o', 5),
    () => Buffer.from('hello world').lastIndexOf('o'),
    () => Buffer.from('hello world').indexOf(Buffer.from('wor')),
    () => Buffer.from('hello world').indexOf(0x6c),
    () => Buffer.from('hello world').includes('xyz'),
    () => Buffer.from('hello').indexOf(''),
    () => (() => { const b = Buffer.alloc(8); b.writeUInt32BE(0xdeadbeef, 0); b.writeInt16LE(-2, 4); b.writeUInt8(7, 6); return [b.toString('hex'), b.readUInt32BE(0), b.readInt16LE(4), b.readUInt8(6), b.readUInt16LE(0), b.readInt32LE(0)]; })(),
    () => (() => { const b = Buffer.alloc(8); b.writeDoubleLE(1.5); return [b.toString('hex'), b.readDoubleLE(0)]; })(),
    () => (() => { const b = Buffer.alloc(4); b.writeFloatBE(0.25); return [b.toString('hex'), b.readFloatBE()]; })(),
    () => (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(123n); return [b.toString('hex'), String(b.readBigUInt64BE(0))]; })(),
    () => Buffer.from([1,2]).readUInt16BE(1),
    () => Buffer.alloc(1).writeUInt8(300),
    () => Buffer.from('abc').fill('xy').toString(),
    () => Buffer.alloc(4).fill(0x41, 1, 3).toString('hex'),
    () => Buffer.from('x', 'nope'),
    () => Buffer.from('abc').toString('nope'),
    () => Buffer.from(5),
    () => Buffer.from(null),
    () => Buffer.alloc('3'),
    () => Buffer.concat(['a']),
    () => Buffer(3).length,
    () => Buffer('abc').toString(),
    () => new Buffer('abc').toString(),
    () => Buffer.of(1, 2, 3).toString('hex'),
    () => [...Buffer.from('ab')],
    () => Buffer.from('ab')[1],
    () => (() => { const b = Buffer.from('ab'); b[0] = 0x41; b[1] = 300; return b.toString('hex'); })(),
    () => Buffer.from('ab').toJSON(),
    () => Object.keys(Buffer.from('ab')),

    // atob and btoa
    () => btoa('hello'),
    () => btoa('\xff\xfe'),
    () => atob('aGVsbG8='),
    () => atob(' aGVs bG8 '),
    () => atob('aGVsbG8'),
    () => btoa('€'),
    () => atob('a'),
    () => atob('aGVsbG8*'),
    () => atob('aGV=sbG8'),
    () => atob(''),
    () => btoa(''),
    () => [btoa(String.fromCharCode(0, 255)), atob('AP8=').charCodeAt(1), typeof atob, typeof btoa],

    // TextEncoder and TextDecoder
    () => [...new TextEncoder().encode('h€😀')],
    () => new TextEncoder().encode('x') instanceof Uint8Array,
    () => Buffer.isBuffer(new TextEncoder().encode('x')),
    () => new TextEncoder().encoding,
    () => (() => { const d = new Uint8Array(4); const r = new TextEncoder().encodeInto('a€b', d); return [r.read, r.written, [...d]]; })(),
    () => (() => { const d = new Uint8Array(3); const r = new TextEncoder().encodeInto('a😀', d); return [r.read, r.written, [...d]]; })(),
    () => new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 104, 105])),
    () => new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 104])).length,
    () => new TextDecoder().decode(new Uint8Array([0xff, 104])),
    () => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])),
    () => new TextDecoder().decode(new Uint8Array([104, 105]).buffer),
    () => new TextDecoder().decode(),
    () => new TextDecoder('latin1').encoding,
    () => new TextDecoder('utf-16le').decode(new Uint8Array([104, 0, 105, 0])),
    () => new TextDecoder('nope'),
    () => new TextDecoder().encoding,
    () => (() => { const d = new TextDecoder(); return d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + '|' + d.decode(new Uint8Array([0xac])); })(),
    () => new TextDecoder().decode(new DataView(new Uint8Array([104, 105]).buffer)),
    () => new TextDecoder().decode(new TextEncoder().encode('héllo €😀')),

    // crypto
    () => require('crypto').createHash('md5').update('hello').digest('hex'),
    () => require('crypto').createHash('sha1').update('hello').digest('hex'),
    () => require('crypto').createHash('sha256').update('').digest('hex'),
    () => require('crypto').createHash('SHA256').update('a').update('b').digest('base64'),
    () => require('crypto').createHash('sha512').update('héllo €').digest('hex'),
    () => require('crypto').createHash('sha384').update('x').digest('base64'),
    () => require('crypto').createHash('sha224').update('x').digest('hex'),
    () => require('crypto').createHash('sha512-256').update('x').digest('hex'),
    () => require('crypto').createHash('sha3-256').update('x').digest('hex'),
    () => require('crypto').createHash('md5').update(Buffer.from([0, 255, 128])).digest('hex'),
    () => require('crypto').createHash('md5').update(new Uint8Array([1,2,3]).subarray(1)).digest('hex'),
    () => require('crypto').createHash('md5').update('68656c6c6f', 'hex').digest('hex'),
    () => require('crypto').createHash('md5').update('aGVsbG8=', 'base64').digest('hex'),
    () => require('crypto').createHash('md5').update('\ud800').digest('hex'),
    () => Buffer.isBuffer(require('crypto').createHash('sha1').update('x').digest()),
    () => require('crypto').createHash('sha1').update('x').digest().length,
    () => require('crypto').createHash('sha1').update('x').digest('latin1').length,
    () => require('crypto').createHash('sha1').update('x').digest('base64url'),
    () => (() => { const h = require('crypto').createHash('sha256').update('a'); const c = h.copy(); c.update('b'); return [h.digest('hex'), c.digest('hex')]; })(),
    () => (() => { const h = require('crypto').createHash('md5'); h.digest(); return h.update('x'); })(),
    () => (() => { const h = require('crypto').createHash('md5'); h.digest(); return h.digest(); })(),
    () => require('crypto').createHash('nope'),
    () => require('crypto').createHash(5),
    () => require('crypto').createHash('md5').update(5),
    () => require('crypto').createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
    () => require('crypto').createHmac('md5', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
    () => require('crypto').createHmac('sha1', '').update('').digest('hex'),
    () => require('crypto').createHmac('sha512', 'k'.repeat(200)).update('data').digest('base64'),
    () => require('crypto').createHmac('sha384', Buffer.from('00ff', 'hex')).update('data').digest('hex'),
    () => require('crypto').createHmac('sha256', 'key').update('a').update(Buffer.from('b')).digest('base64'),
    () => require('crypto').createHmac('nope', 'key'),
    () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(require('crypto').randomUUID()),
    () => require('crypto').randomUUID() !== require('crypto').randomUUID(),
    () => require('crypto').randomBytes(16).length,
    () => Buffer.isBuffer(require('crypto').randomBytes(3)),
    () => require('crypto').randomBytes(8).toString('hex').length,
    () => require('crypto').randomBytes('3'),
    () => require('crypto').timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')),
    () => require('crypto').timingSafeEqual(Buffer.from('ab'), Buffer.from('ac')),
    () => require('crypto').timingSafeEqual(Buffer.from('ab'), Buffer.from('abc')),
    () => require('crypto').getHashes().includes('sha256'),
    () => typeof require('crypto').createHash('md5').update,

    // URL and URLSearchParams (WHATWG)
    () => new URL('HTTP://User:Pa ss@EXAMPLE.com:80/a/../b/./c d?x=1 2&y=\'#frag ment`').href,
    () => Object.fromEntries(['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'].map((k) => [k, new URL('https://u:p@sub.example.com:8443/p/a/t/h?query=string#hash')[k]])),
    () => ['http://a:80/', 'https://a:443/', 'ws://a:80/', 'wss://a:443/', 'ftp://a:21/', 'http://a:443/', 'https://a:080/', 'foo://a:80/', 'http://a:/'].map((u) => new URL(u).href),
    () => new URL('https://a.com:65536/'),
    () => new URL('https://a.com:8x/'),
    () => ['https://münchen.de/', 'https://faß.de/', 'https://EXAMPLE.ＣＯＭ/', 'http://☃.net/', 'https://xn--mnchen-3ya.de/', 'https://日本.jp/', 'https://Bücher.example/', 'https://a.b\u3002c/'].map((u) => new URL(u).hostname),
    () => new URL('https://münchen.de/straße?q=ä#ö').href,
    // Not a label mixing left-to-right and Arabic letters such as 'a\u0627': the standard's CheckBidi refuses it
    // (so does the runtime, through ICU), Node 20's URL parser accepts it.
    () => ['http://a\u200db.com/', 'http://ab--c.com/', 'http://-x-.com/', 'http://xn--ls8h.la/', 'http://XN--MNCHEN-3YA.de/', 'http://\ufb00.com/', 'http://a.\u00df.com/', 'http://a\u00adb.com/', 'http://%E2%98%83/', 'http://xn--/', 'http://a..b/', 'http://\u0627\u0644\u0639\u0631\u0628\u064a\u0629.com/', 'http://%F0%9F%92%A9/', 'http://\u2139.com/', 'http://x.\u0301y/'].map((u) => { try { return new URL(u).host } catch (e) { return e.message } }),
    () => new URL('https://xn--a.com/'),
    () => new URL('https://a b.com/'),
    () => new URL('foo://ex ample.com/'),
    () => ['http://0x7f.1/', 'http://127.1/', 'http://2130706433/', 'http://0300.0250.0.1/', 'http://1.2.3.4./'].map((u) => new URL(u).host),
    () => new URL('http://192.168.0.257/'),
    () => ['http://[::1]:8080/', 'http://[2001:DB8:0:0:0:0:0:1]/', 'http://[::ffff:192.168.0.1]/', 'http://[1:0:0:2::3:0]/', 'http://[0:0:0:0:0:0:0:0]/'].map((u) => new URL(u).host),
    () => new URL('http://[::1::]/'),
    () => new URL('https://user:p@ss:w@rd@host.com/').href,
    () => new URL('https://a%20b:c%3Ad@host.com/').username + '|' + new URL('https://a%20b:c%3Ad@host.com/').password,
    () => new URL('https://:pass@host.com/').href,
    () => new URL('https://user:@host.com/').href,
    () => (() => { const u = new URL('https://host.com/'); u.username = 'a b@c'; u.password = 'ü:/'; return u.href; })(),
    () => ['../x?y#z', './', '..', '/abs', '//other.host/p', '?q', '#f', '', 'g;x?y#s', 'https:rel', 'http:rel'].map((r) => new URL(r, 'http://a/b/c/d;p?q').href),
    () => new URL('x', 'mailto:a@b'),
    () => new URL('path'),
    () => new URL('/p', new URL('https://a.com/b/c')).href,
    () => ['foo://Bar/a b?c d#e f', 'mailto:A@Example.com', 'data:text/plain,hi there', 'javascript:alert(1)', 'urn:isbn:0451450523', 'git+ssh://git@github.com/org/repo.git', 'sc://ñ/x', 'non-spec:/.//p'].map((u) => [new URL(u).href, new URL(u).host, new URL(u).pathname, new URL(u).origin]),
    () => ['file:///C:/x/../y', 'file://localhost/etc/hosts', 'file:///a b', 'file://Host/share'].map((u) => new URL(u).href),
    () => ['https://a.com?', 'https://a.com#', 'https://a.com/?#', 'https://a.com/p?#x'].map((u) => [new URL(u).href, new URL(u).search, new URL(u).hash]),
    () => ['https://a.com/%7Efoo/%zz/é/{}|^`', 'https://a.com/a\\b\\c', 'https://a.com/./a/%2e%2E/b/', 'https://a.com/?a=\'"<>`{}|é', 'foo://a.com/?a=\'"<>`', 'https://a.com/#a b"<>`{}'].map((u) => new URL(u).href),
    () => new URL('  \t https://a.com/\na\tb  ').href,
    () => new URL('https:\\\\a.com\\x').href,
    () => new URL('https:///a.com/x').href,
    () => new URL('http://example.com/?q=%zz&r=a+b%20c').searchParams.get('q') + '|' + new URL('http://example.com/?q=%zz&r=a+b%20c').searchParams.get('r'),
    () => (() => { const u = new URL('https://a.com/p?x=1'); u.searchParams.append('y', 'a b&c'); u.searchParams.set('x', 'é'); return [u.href, u.search]; })(),
    () => (() => { const u = new URL('https://a.com/p?x=1'); u.search = '?a=b c#d'; return [u.href, u.searchParams.get('a')]; })(),
    () => (() => { const u = new URL('https://a.com/p'); u.hash = 'x y'; u.pathname = '/a b/%41?'; return u.href; })(),
    () => (() => { const u = new URL('https://a.com:8080/p'); u.port = '443'; const a = u.href; u.protocol = 'http'; const b = u.href; u.host = 'ex.com:81'; u.hostname = 'ÉX.org'; return [a, b, u.href]; })(),
    () => (() => { const u = new URL('https://a.com/p'); u.protocol = 'foo'; u.port = 'abc'; return u.href; })(),
    () => (() => { const u = new URL('https://a.com/p'); u.href = 'http://b.com/q?r#s'; return [u.host, u.searchParams.get('r')]; })(),
    () => (() => { try { const u = new URL('https://a.com/'); u.href = 'nope'; return u.href; } catch (e) { return e.name + ' ' + e.code; } })(),
    () => JSON.stringify({ u: new URL('https://a.com/x') }),
    () => String(new URL('https://a.com')) + ' ' + Object.keys(new URL('https://a.com')).length,
    () => require('url').URL === URL && require('url').URLSearchParams === URLSearchParams,
    () => [URL.canParse('https://a.com'), URL.canParse('nope'), URL.canParse('x', 'https://a.com')],
    () => new URL('https://a.com/').searchParams instanceof URLSearchParams,
    () => ['file:c:\\foo', 'file:/C|/', 'file://localhost/', 'file:..', 'file:///a/../..', 'file:///C:/../..', '\\\\server\\share', 'C|/x', '/..', '//h/C|/a', 'file://C:/x'].map((u) => { try { return new URL(u, 'file:///D:/dir/f').href } catch (e) { return e.message } }),
    () => ['http://0x.0x.0', 'http://4294967295', 'http://4294967296', 'http://foo.09', 'http://foo.0x4', 'http://1.2.3.08', 'http://09.1', 'http://%30.1', 'http://0xffffffff1', 'http://💩.123/', 'http://1.2.3.4.5', 'http://1.2.3.4.5.', 'http://foo.0x', 'http://0..0x300/'].map((u) => { try { return new URL(u).host } catch (e) { return e.message } }),
    () => ['http://[1:0::]', 'http://[0:0:0:0:0:0:13.1.68.3]', 'http://[::127.0.0.1.]', 'http://[1::2::3]', 'http://[:1]', 'http://[0::0:0:0:0:0:0:0]', 'non-special://[1:2:0:0:5:0:0:0]/', 'http://[1:2:3:4:5:6:7:8:9]', 'http://[::1.2.3.]', 'http://[1:0:0:0:0:0:0:0]'].map((u) => { try { return new URL(u).host } catch (e) { return e.message } }),
    () => ['http::@c:29', 'http://&a:foo(b]c@d:2/', 'http://::@c@d:2', 'http://foo.com:b@d/', 'http://f:21/ b ? d # e ', 'http://f:00000000000000/c', 'http://user:pass@/', 'http:/:@/www.example.com', 'sc://\u001F!"$&\'()*+,-.;=_`{}~/', 'http://%25', 'http://ab%3A', 'http://a.b\u0000c/', 'http://a%C2%ADb/', 'non-spec:/.//p', 'http://example.com/foo/%2e%2', '//x/y', 'http:foo', 'ws:x'].map((u) => { try { return new URL(u, 'http://example.org/foo/bar').href } catch (e) { return e.message } }),
    () => (() => { const u = new URL('http://u:p@a.com:443/x'); const out = []; const step = (f) => { f(); out.push(u.href); }; step(() => (u.protocol = 'https')); step(() => (u.protocol = 'file')); step(() => (u.protocol = 'foo')); step(() => (u.host = 'b.com:8080')); step(() => (u.hostname = 'c.com:99')); step(() => (u.port = '8080x')); step(() => (u.port = '')); step(() => (u.pathname = '../a/./b c')); step(() => (u.search = '#q=1')); step(() => (u.hash = '##x')); step(() => { u.username = ''; u.password = ''; }); step(() => (u.host = '')); return out; })(),
    () => (() => { const u = new URL('mailto:a@b'); u.pathname = 'x'; u.host = 'h'; u.port = '1'; u.username = 'x'; u.search = 'q'; u.hash = 'f'; return u.href; })(),
    () => (() => { const u = new URL('file:///C:/x'); u.username = 'a'; u.port = '8'; u.host = 'localhost'; const a = u.href; u.host = 'srv'; return [a, u.href, u.origin]; })(),
    () => (() => { const u = new URL('https://a.com/?a=1#h'); u.searchParams.delete('a'); const a = u.href; u.search = '?x=%zz+1'; return [a, u.href, u.searchParams.get('x'), [...u.searchParams.keys()]]; })(),
    () => ['blob:https://a.com:443/x', 'blob:ftp://a/x', 'blob:foo', 'ws://a:80/p', 'file:///x'].map((u) => new URL(u).origin),
    () => new URLSearchParams('?a=1&b=2&a=3&c&=d&e=').toString(),
    () => [...new URLSearchParams('a=1&b=2&a=3')],
    () => new URLSearchParams('a=1&b=2&a=3').getAll('a'),
    () => new URLSearchParams({ a: 1, b: [1, 2], c: null, d: undefined }).toString(),
    () => new URLSearchParams([['x', 'a b'], ['y', '~!*()\'.-_é€😀&=+/?#%']]).toString(),
    () => new URLSearchParams('q=%F0%9F%98%80&r=%C3%A9+x&s=%ZZ&t=%E2%82').get('q') + new URLSearchParams('q=%F0%9F%98%80&r=%C3%A9+x&s=%ZZ&t=%E2%82').get('r') + new URLSearchParams('q=%F0%9F%98%80&r=%C3%A9+x&s=%ZZ&t=%E2%82').get('s') + new URLSearchParams('q=%F0%9F%98%80&r=%C3%A9+x&s=%ZZ&t=%E2%82').get('t'),
    () => (() => { const p = new URLSearchParams('z=1&a=2&b=3&a=1'); p.sort(); p.delete('b'); return [p.toString(), p.size, p.has('a'), p.has('a', '3'), p.get('nope')]; })(),
    () => (() => { const p = new URLSearchParams('a=1&b=2&a=3'); p.set('a', 'x'); return p.toString(); })(),
    () => new URLSearchParams([['a']]),
    () => String(new URLSearchParams(new Map([['k', 'v']]))),

    // Intl and Date: full locale data, local time is UTC
    () => new Date(Date.UTC(2021, 0, 5, 15, 4, 5)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
    () => ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'ar-EG', 'zh-CN', 'pt-BR'].map((l) => new Date(Date.UTC(2021, 0, 5, 15, 4, 5)).toLocaleDateString(l)),
    () => ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP'].map((l) => new Date(Date.UTC(2021, 0, 5, 15, 4, 5)).toLocaleTimeString(l)),
    () => new Date(Date.UTC(2021, 0, 5, 15, 4, 5)).toLocaleString(),
    () => new Date(Date.UTC(2021, 0, 5, 15, 4, 5)).toLocaleDateString(undefined, { weekday: 'long', month: 'short', day: '2-digit' }),
    () => new Date(Date.UTC(2021, 6, 5, 15, 4, 5)).toLocaleString('en-US', { timeZone: 'America/New_York' }),
    () => new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'long', timeZone: 'Asia/Kolkata' }).format(new Date(Date.UTC(2021, 0, 5, 15, 4, 5))),
    () => new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(Date.UTC(2021, 0, 5, 15, 4, 5))),
    () => new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true }).formatToParts(new Date(Date.UTC(2021, 0, 5, 15, 4, 5))),
    () => new Intl.DateTimeFormat().resolvedOptions(),
    () => Intl.DateTimeFormat('fr', { month: 'long' }).format(new Date(Date.UTC(2021, 7, 1))),
    () => [new Date(0).getTimezoneOffset(), new Date(0).getHours(), new Date(2021, 5, 1).toISOString(), new Date('2021-06-01T12:00:00').toISOString(), new Date('2021-06-01').toISOString()],
    () => [new Date(0).toString(), new Date(0).toDateString(), new Date(0).toTimeString(), new Date(0).toUTCString()],
    () => new Date(Date.UTC(2021, 2, 28, 1, 30)).toLocaleString('en-GB', { timeZone: 'Europe/London', timeZoneName: 'short' }),
    () => Date.parse('Tue, 05 Jan 2021 15:04:05 GMT') + Date.parse('2021-01-05 15:04:05'),
    () => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5),
    // Not de-CH: its grouping separator changed in CLDR between GraalJS's ICU 72 (’) and Node's ICU 78 (').
    () => ['en-US', 'en-IN', 'de-DE', 'fr-FR', 'ar-EG'].map((l) => (1234567.891).toLocaleString(l)),
    () => (1234.5).toLocaleString(),
    () => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'JPY' }).format(1234.5),
    () => new Intl.NumberFormat('en', { notation: 'compact' }).format(12345) + ' ' + new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 }).format(0.1234),
    () => new Intl.NumberFormat('en-US', { style: 'unit', unit: 'kilometer-per-hour' }).format(50),
    () => new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(-1, 'day') + ', ' + new Intl.RelativeTimeFormat('es').format(3, 'month'),
    () => [new Intl.PluralRules('ar').select(3), new Intl.PluralRules('en', { type: 'ordinal' }).select(22)],
    () => new Intl.ListFormat('en', { type: 'conjunction' }).format(['a', 'b', 'c']),
    () => ['ä', 'a', 'z', 'Z', 'é'].sort(new Intl.Collator('de').compare).join(''),
    () => ['ä', 'a', 'z'].sort(new Intl.Collator('sv').compare).join(''),
    () => ['b', 'a', 'B', 'A', '10', '9'].sort((a, b) => a.localeCompare(b)).join(','),
    () => ['10', '9', '1'].sort(new Intl.Collator(undefined, { numeric: true }).compare).join(','),
    () => ['10', '9', '1', '2b', '2a', 'B', 'a'].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, caseFirst: 'upper' })).join(','),
    () => ['a', 'B', 'A', 'b'].sort(new Intl.Collator('en', { caseFirst: 'upper' }).compare).join(''),
    () => [new Intl.Collator('de', { numeric: true }).resolvedOptions().numeric, new Intl.Collator('en-u-kn').compare('10', '9'), Intl.Collator() instanceof Intl.Collator, Intl.Collator.length, Intl.Collator.supportedLocalesOf(['de', 'xx'])],
    () => [new Intl.DateTimeFormat('en-US', { timeStyle: 'short' }).format(0), new Intl.DateTimeFormat('en', { timeZone: 'Etc/GMT' }).resolvedOptions().timeZone, new Date(0).toLocaleTimeString('en-US', { timeZone: 'Asia/Tokyo' })],
    () => ['İ'.toLocaleLowerCase('tr'), 'i'.toLocaleUpperCase('tr'), 'ß'.toLocaleUpperCase()],
    () => new Intl.DisplayNames(['en'], { type: 'region' }).of('DE') + ', ' + new Intl.DisplayNames(['de'], { type: 'language' }).of('fr'),
    () => Intl.getCanonicalLocales(['EN-us', 'zh-hant-tw']),
    () => new Intl.Locale('en-Latn-US').maximize().toString(),
    () => typeof Intl.Segmenter === 'function' && [...new Intl.Segmenter('en', { granularity: 'word' }).segment('Hi there!')].filter((s) => s.isWordLike).map((s) => s.segment),
]

const PLUGIN_CASES = [
    {
        fixture: 'node-compat',
        config: { greeting: 'hi' },
        attachments: { data: { file: 'attachment.json', content_type: 'application/json' } },
        events: [
            { event: 'remember', distinct_id: 'd1', properties: { value: 42 } },
            { event: 'recall', distinct_id: 'd1', properties: {} },
            { event: 'attachment', distinct_id: 'd1', properties: {} },
            { event: 'json out', distinct_id: 'd1', properties: {} },
            { event: 'throw string', distinct_id: 'd1', properties: {} },
            { event: 'other', distinct_id: 'd1', properties: { kept: true } },
        ],
    },
    {
        fixture: 'esm-subfolder',
        events: [{ event: '$pageview', distinct_id: '007', properties: { $current_url: 'https://Example.COM/a/../b?c=1' } }],
    },
]

// Plugins reach `require` as a global; a Node script has it only in its module scope.
globalThis.require = require

const evaluate = (expression) => {
    try {
        const value = (0, eval)(expression)
        return 'ok ' + JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? String(v) : v))
    } catch (e) {
        return 'throws ' + e.name + ': ' + e.message
    }
}

const makeMeta = (dir, { config = {}, attachments = {} }) => {
    const store = () => {
        const values = new Map()
        return {
            get: async (key, defaultValue) => (values.has(key) ? JSON.parse(values.get(key)) : defaultValue),
            set: async (key, value) => void values.set(key, JSON.stringify(value)),
        }
    }
    const files = Object.entries(attachments).map(([key, { file, content_type }]) => [
        key,
        { content_type, file_name: file, contents: fs.readFileSync(path.join(dir, file)) },
    ])
    return { config, attachments: Object.fromEntries(files), storage: store(), cache: store(), global: {} }
}

const runPlugin = async (pluginCase) => {
    const dir = path.join(FIXTURES, pluginCase.fixture)
    const { main } = JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8'))
    // Node 20 requires an ES module in a .js file too (module syntax detection).
    const plugin = require(path.join(dir, main || 'index.js'))
    const meta = makeMeta(dir, pluginCase)
    if (plugin.setupPlugin) await plugin.setupPlugin(meta)
    const node = []
    for (const event of pluginCase.events) {
        try {
            const result = await plugin.processEvent(JSON.parse(JSON.stringify(event)), meta)
            node.push({ result: result == null ? null : JSON.stringify(result) ?? null })
        } catch (e) {
            node.push({ error: e instanceof Error ? { name: e.name, message: e.message } : { name: null, message: String(e) } })
        }
    }
    return { ...pluginCase, node }
}

const main = async () => {
    const cases = CASES.map((fn) => {
        const expression = fn.toString().replace(/^\(\) => /, '')
        return { expression, node: evaluate(expression) }
    })
    const plugins = []
    for (const pluginCase of PLUGIN_CASES) plugins.push(await runPlugin(pluginCase))
    const recordedWith =
        `node ${process.version} (ICU ${process.versions.icu}), TZ=UTC, no LANG; recorded by bench/node/record-node-cases.js, ` +
        'which says what each field means'
    fs.writeFileSync(OUTPUT, JSON.stringify({ recordedWith, cases, plugins }, null, 1) + '\n')
    console.log(`${cases.length} cases and ${plugins.length} plugins written to ${path.relative(process.cwd(), OUTPUT)}`)
}

main().catch((e) => {
    console.error(e)
    process.exit(1)
})
