import { baseUrlRefusal, hostKind, refusalOf, shownUrl } from '../../nodes/shared/transport/urlGuard';
import { jobIdProblem } from '../../nodes/shared/engine/engine';
import { redactSecret } from '../../nodes/shared/transport/transport';

const host = (url: string) => new URL(url).hostname;

describe('hostKind', () => {
	test.each([
		['http://127.0.0.1/', 'loopback'],
		['http://127.255.0.9/', 'loopback'],
		['http://0.0.0.0/', 'loopback'],
		['http://2130706433/', 'loopback'],
		['http://0x7f.1/', 'loopback'],
		['http://[::1]/', 'loopback'],
		['http://[::]/', 'loopback'],
		['http://[::ffff:127.0.0.1]/', 'loopback'],
		['http://localhost/', 'loopback'],
		['http://api.localhost/', 'loopback'],
		['http://LOCALHOST./', 'loopback'],
		['http://169.254.169.254/', 'link-local'],
		['http://[fe80::1]/', 'link-local'],
		['http://metadata.google.internal/', 'link-local'],
		['http://[::ffff:169.254.169.254]/', 'link-local'],
		['http://10.0.0.1/', 'private'],
		['http://172.16.5.4/', 'private'],
		['http://172.31.255.255/', 'private'],
		['http://192.168.1.1/', 'private'],
		['http://100.64.0.1/', 'private'],
		['http://[fd00::1]/', 'private'],
		['http://192.0.2.2/', 'private'],
		['http://203.0.113.9/', 'private'],
		['http://newapi:3000/', 'private'],
		['http://nas.local/', 'private'],
		['http://gw.home.arpa/', 'private'],
		['https://cdn.example.com/', 'public'],
		['https://172.32.0.1/', 'public'],
		['https://8.8.8.8/', 'public'],
		['https://[2606:4700::1111]/', 'public'],
	])('%s is %s', (url, kind) => {
		expect(hostKind(host(url))).toBe(kind);
	});
});

describe('refusalOf (provider-given URLs)', () => {
	const publicBase = { baseUrl: 'https://api.example.com' };
	const sandbox = { baseUrl: 'http://127.0.0.1:4010' };
	const lan = { baseUrl: 'http://192.168.1.20:3000' };

	test('a public https CDN passes; relative URLs resolve against the Base URL', () => {
		expect(refusalOf('https://cdn.example.net/v.mp4', publicBase)).toBeUndefined();
		expect(refusalOf('/v1/videos/x/content', publicBase)).toBeUndefined();
	});

	test.each(['http://cdn.example.net/v.mp4', 'http://127.0.0.1/', 'https://10.0.0.1/', 'https://[::1]/', 'https://169.254.169.254/', 'ftp://cdn.example.net/', 'file:///etc/passwd', 'https://u:p@cdn.example.net/'])(
		'%s is refused under a public Base URL',
		(url) => expect(refusalOf(url, publicBase)).toBeDefined(),
	);

	test('a loopback Base URL allows loopback and http, not private or metadata', () => {
		expect(refusalOf('http://127.0.0.1:4011/videos/a.mp4', sandbox)).toBeUndefined();
		expect(refusalOf('http://10.0.0.1/', sandbox)).toMatch(/private network/);
		expect(refusalOf('http://169.254.169.254/', sandbox)).toMatch(/link-local/);
	});

	test('a LAN Base URL allows the LAN, not loopback', () => {
		expect(refusalOf('http://192.168.1.21:9000/v.mp4', lan)).toBeUndefined();
		expect(refusalOf('http://127.0.0.1:22/', lan)).toMatch(/loopback/);
	});

	test('the opt-in lifts the address rule, not the scheme or user info', () => {
		expect(refusalOf('http://169.254.169.254/', { ...publicBase, allowPrivate: true })).toBeUndefined();
		expect(refusalOf('file:///etc/passwd', { ...publicBase, allowPrivate: true })).toBeDefined();
	});

	test('errors show no query string (signatures) or user info', () => {
		expect(shownUrl('https://u:p@s3.example.com/a.mp4?X-Amz-Signature=abc')).toBe('https://s3.example.com/a.mp4');
	});
});

describe('baseUrlRefusal (credentials)', () => {
	test.each(['https://api.magichour.ai', 'http://127.0.0.1:4010', 'http://localhost:4010', 'http://newapi:3000', 'http://192.168.1.20:3000', 'http://gateway.lan'])('%s is accepted', (url) => {
		expect(baseUrlRefusal(url)).toBeUndefined();
	});
	test('user info and plain http on a public host are refused', () => {
		expect(baseUrlRefusal('https://user:pass@api.example.com')).toMatch(/user name or password/);
		expect(baseUrlRefusal('http://api.example.com')).toMatch(/plain http on a public host/);
	});
});

describe('jobIdProblem', () => {
	test.each(['.', '..', '....', 'a/b', 'a\\b', 'a\nb'])('%p is refused', (id) => expect(jobIdProblem(id, {})).toBeDefined());
	test.each(['123456789', 'cuid-example', 'Zx3z_NSUkI67m3sHg-rUq', 'a.b', 'video_123:model'])('%p is accepted', (id) => expect(jobIdProblem(id, {})).toBeUndefined());
	test("AI/ML API's <uuid>:<model> ids keep their slashes; dots alone stay refused", () => {
		expect(jobIdProblem('1fe4344e-3d44-4bf8-9f04-0ac4bb312eec:pixverse/v5/text-to-video', { jobIdMayContainSlash: true })).toBeUndefined();
		expect(jobIdProblem('..', { jobIdMayContainSlash: true })).toBeDefined();
	});
});

describe('redactSecret', () => {
	const key = 'user:42/kEy+x=y z';
	test('the key as is, URL-encoded (any case) and form-encoded', () => {
		const text = `a ${key} b ${encodeURIComponent(key)} c ${encodeURIComponent(key).toLowerCase()} d ${encodeURIComponent(key).replace(/%20/g, '+')}`;
		expect(redactSecret(text, key)).toBe('a *** b *** c *** d ***');
	});
	test('no key, or a toy key of a few characters: text unchanged', () => {
		expect(redactSecret('hello', '')).toBe('hello');
		expect(redactSecret('make the video', 'k')).toBe('make the video');
	});
});

describe('the credential form says what the node refuses (n8n shows these notices by displayParameter)', () => {
	const { NodeHelpers } = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	const { BASE_URL_NOTICES } = jest.requireActual<typeof import('../../credentials/common')>('../../credentials/common');
	const shown = (baseUrl: string) => BASE_URL_NOTICES.filter((notice) => NodeHelpers.displayParameter({ baseUrl }, notice, null, null)).map((notice) => notice.name);
	test.each([
		['https://api.magichour.ai', []],
		['https://user:pass@api.example.com', ['baseUrlUserInfoNotice']],
		['https://api.example.com/path@x', []],
		['http://127.0.0.1:4010', ['baseUrlHttpNotice']],
		['http://u:p@gateway.example.com', ['baseUrlUserInfoNotice', 'baseUrlHttpNotice']],
	])('%s: %p', (baseUrl, names) => {
		expect(shown(baseUrl)).toEqual(names);
		// The notices agree with the node's own rule about user info.
		expect(names.includes('baseUrlUserInfoNotice')).toBe(/user name or password/.test(baseUrlRefusal(baseUrl) ?? ''));
	});
});
