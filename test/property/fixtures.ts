// Valid inputs that set every field, for mutations to land anywhere in them.

/** A recipe that sets every field, so a mutation can land anywhere in it. */
export const FULL_RECIPE = {
  name: 'hostile-course',
  region: 'eu-west-1',
  baseImage: 'ami-0123456789abcdef0',
  builder: {
    instanceType: 't3.large',
    rootVolumeGiB: 30,
    timeoutMinutes: 60,
    subnetId: 'subnet-0123456789abcdef0',
  },
  volumes: [
    {
      device: '/dev/sdf',
      sizeGiB: 10,
      type: 'gp3',
      encrypted: true,
      mountPoint: '/scratch',
      filesystem: 'ext4',
    },
  ],
  tags: { course: 'genomics' },
  environment: {
    apt: ['jq'],
    pip: ['numpy>=1'],
    requirements: 'pandas\n',
    conda: 'name: course\ndependencies: [python]\n',
    r: { cran: ['dplyr'], bioconductor: ['DESeq2'] },
    postBuild: 'echo hello\n',
  },
  jupyter: { flavour: 'lab', port: 8888, source: 'pip' },
  user: 'student',
};

/** A request that sets every field, so a mutation can land anywhere in it. */
export const FULL_REQUEST = {
  name: 'genomics-101',
  image: {
    imageId: 'ami-0123456789abcdef0',
    imageName: 'genomics',
    recipeHash: '0123456789abcdef',
    region: 'us-east-1',
    jupyterPort: 8888,
  },
  region: 'us-east-1',
  instanceTypes: ['t3.medium', 't3a.medium'],
  students: [
    { name: 'Ada Lovelace', email: 'ada@example.org' },
    { name: 'Zoë Müller', email: 'zoe@example.org' },
  ],
  subnets: ['subnet-0123456789abcdef0'],
  allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
  jupyterPort: 8888,
  schedule: { start: '2026-03-10T09:00', end: '2026-03-10T17:00', timezone: 'Europe/Berlin' },
  spot: false,
  instructor: { name: 'Grace Hopper', email: 'grace@example.org' },
  sender: 'classes@example.org',
  volumeGiB: 30,
};

/** FULL_REQUEST with a class in 2099, valid whenever the handler runs. */
export const FUTURE_REQUEST = {
  ...FULL_REQUEST,
  schedule: { start: '2099-03-10T09:00', end: '2099-03-10T17:00', timezone: 'Europe/Berlin' },
};
