// The identity feature's public face: user administration and API tokens.
export { UsersPage } from './users-page.tsx';
export { UserDetailPage } from './user-detail-page.tsx';
export { TokensPage } from './tokens-page.tsx';
