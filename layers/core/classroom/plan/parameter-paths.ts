// Where a class's seat credentials live in Parameter Store: the class's path and one seat's name.

/** The path under the deployment's prefix that holds every class's credentials. */
export const classesParameterPath = (parameterPrefix: string) => `${parameterPrefix}/classes`;

/** The class's path under the deployment's prefix: seats store under it, clean-up deletes it. */
export const classParameterPath = (parameterPrefix: string, classId: string) =>
  `${classesParameterPath(parameterPrefix)}/${classId}`;

/** Where one seat's credential is kept: one SecureString per seat, grouped by batch. */
export const credentialName = (plan: { parameterPath: string }, batchId: string, seatId: string) =>
  `${plan.parameterPath}/${batchId}/${seatId}`;

/** The deployment's page key (SecureString): signs the links to class pages. */
export const pageKeyName = (parameterPrefix: string) => `${parameterPrefix}/page-key`;
