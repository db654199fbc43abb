// The auth feature's public face: the pages the app's router mounts.
export { LoginPage } from './login-page.tsx';
export { SetupPage } from './setup-page.tsx';
export { MfaEnrollPage } from './mfa-enroll-page.tsx';
export { ProfilePage } from './profile-page.tsx';
