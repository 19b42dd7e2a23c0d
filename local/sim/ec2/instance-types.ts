/** The instance types the simulated region offers, with what RunInstances checks about them. */

export type Architecture = 'x86_64' | 'arm64';

const FAMILIES: Record<string, { arch: Architecture; sizes: readonly string[] }> = {};

const BURSTABLE = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'] as const;
const GENERAL = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

for (const family of ['t3', 't3a']) FAMILIES[family] = { arch: 'x86_64', sizes: BURSTABLE };
FAMILIES.t4g = { arch: 'arm64', sizes: BURSTABLE };
for (const family of ['m5', 'm6i', 'm6a', 'm7i', 'm7a', 'c5', 'c6i', 'c7i', 'r5', 'r6i', 'r7i']) {
  FAMILIES[family] = { arch: 'x86_64', sizes: GENERAL };
}
for (const family of ['m6g', 'm7g', 'c6g', 'c7g', 'r6g', 'r7g']) {
  FAMILIES[family] = { arch: 'arm64', sizes: ['medium', ...GENERAL] };
}
for (const family of ['g4dn', 'g5']) FAMILIES[family] = { arch: 'x86_64', sizes: GENERAL.slice(1) };
FAMILIES.m1 = { arch: 'x86_64', sizes: ['small', 'medium', 'large', 'xlarge'] };

export interface InstanceTypeInfo {
  name: string;
  arch: Architecture;
  vcpus: number;
}

export function instanceType(name: string): InstanceTypeInfo | undefined {
  const [family = '', size = ''] = name.split('.');
  const info = FAMILIES[family];
  if (!info?.sizes.includes(size)) return undefined;
  return { name, arch: info.arch, vcpus: vcpusOf(family, size) };
}

function vcpusOf(family: string, size: string): number {
  if (size === 'xlarge') return 4;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return 4 * Number(multiple[1]);
  if (size === 'large' || family.startsWith('t')) return 2;
  return 1;
}

export function allInstanceTypes(): string[] {
  return Object.entries(FAMILIES).flatMap(([family, { sizes }]) =>
    sizes.map((size) => `${family}.${size}`),
  );
}
