import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library defaults (memory-hard; ~tens of ms per hash). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A fixed hash to verify against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    dummyHash ??= hash('not-a-real-password-but-equally-slow');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
