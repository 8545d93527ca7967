import { useCallback, useEffect, useState } from 'react';
import type { Comune, Page, Role, Session } from './api';
import { logout as logoutOnServer } from './api';
import { ComuniProvider } from './components/ui';
import { HeaderAlerts } from './components/HeaderAlerts';
import { LiveEventsProvider } from './live';
import { roleLabel } from './labels';
import { Accessibility } from './pages/Accessibility';
import { CasePage } from './pages/CasePage';
import { CasesList } from './pages/CasesList';
import { ComuneView } from './pages/ComuneView';
import { Dashboard } from './pages/Dashboard';
import { Deadlines } from './pages/Deadlines';
import { Inbox } from './pages/Inbox';
import { Intake } from './pages/Intake';
import { Login } from './pages/Login';
import { Monitoring } from './pages/Monitoring';
import { TaskPage } from './pages/TaskPage';
import { ResourcesPage } from './pages/admin/ResourcesPage';
import { Users } from './pages/admin/Users';
import { AmbitiPage } from './pages/admin/AmbitiPage';
import { CalendarPage } from './pages/admin/CalendarPage';
import { SettingsPage } from './pages/admin/SettingsPage';
import { match, navigate, useRoute } from './router';
import { SessionProvider, useSession, useSessionState } from './session';

/** What each role finds in the menu; the API enforces the same matrix. */
interface NavItem {
  path: string;
  text: string;
  roles: Role[];
}
export const NAV: NavItem[] = [
  { path: '/cruscotto', text: 'Cruscotto', roles: ['coordinator', 'admin'] },
  { path: '/monitoraggio', text: 'Monitoraggio', roles: ['coordinator', 'admin'] },
  { path: '/scadenze', text: 'Scadenze', roles: ['coordinator'] },
  { path: '/comune', text: 'Passaggi al Comune', roles: ['social_worker'] },
  { path: '/attivita', text: 'Attività', roles: ['emergency_operator', 'coordinator', 'social_worker'] },
  { path: '/nuova-segnalazione', text: 'Nuova segnalazione', roles: ['intake_operator', 'coordinator'] },
  { path: '/casi', text: 'Casi', roles: ['intake_operator', 'emergency_operator', 'coordinator', 'social_worker', 'admin'] },
  { path: '/risorse', text: 'Rete delle risorse', roles: ['emergency_operator', 'coordinator', 'admin'] },
  { path: '/admin/utenti', text: 'Utenti', roles: ['admin', 'coordinator'] },
  { path: '/admin/calendari', text: 'Calendari degli uffici', roles: ['admin', 'coordinator'] },
  { path: '/admin/ambiti', text: 'Ambiti e Comuni', roles: ['admin'] },
  { path: '/admin/impostazioni', text: 'Impostazioni del protocollo', roles: ['admin'] },
];

/** The accessibility statement: for everyone, signed in or not (linked in the footer and on the login page). */
export const ACCESSIBILITY_PATH = '/accessibilita';

export function homeOf(role: Role): string {
  return NAV.find((n) => n.roles.includes(role))?.path ?? '/casi';
}

function Routes() {
  const path = useRoute();
  const { session } = useSession();
  const role = session.user.role;
  const allowed = (p: string) => NAV.find((n) => n.path === p)?.roles.includes(role) ?? false;

  let m: Record<string, string> | null;
  if ((m = match('/casi/:id', path))) return <CasePage id={m.id!} key={m.id} />;
  if ((m = match('/attivita/:id', path))) return <TaskPage id={m.id!} key={m.id} />;
  const base = path.split('?')[0]!;
  if (base === ACCESSIBILITY_PATH) return <Accessibility signedIn />;
  if (!allowed(base)) {
    if (base === '/' || base === '') {
      navigate(homeOf(role));
      return null;
    }
    return (
      <div className="alert alert-warning" role="alert">
        Pagina non disponibile per il ruolo {roleLabel(role)}. <a href={`#${homeOf(role)}`}>Vai alla pagina iniziale</a>
      </div>
    );
  }
  switch (base) {
    case '/cruscotto':
      return <Dashboard />;
    case '/monitoraggio':
      return <Monitoring />;
    case '/scadenze':
      return <Deadlines />;
    case '/comune':
      return <ComuneView />;
    case '/attivita':
      return <Inbox />;
    case '/nuova-segnalazione':
      return <Intake />;
    case '/risorse':
      return <ResourcesPage />;
    case '/admin/utenti':
      return <Users />;
    case '/admin/calendari':
      return <CalendarPage />;
    case '/admin/ambiti':
      return <AmbitiPage />;
    case '/admin/impostazioni':
      return <SettingsPage />;
    default:
      return <CasesList />;
  }
}

function Shell() {
  const { session, api, logout } = useSession();
  const path = useRoute();
  const [comuni, setComuni] = useState<Comune[]>([]);
  useEffect(() => {
    api.get<Page<Comune>>('/api/reference/comuni').then(
      (p) => setComuni(p.items),
      () => setComuni([]),
    );
  }, [api]);
  const items = NAV.filter((n) => n.roles.includes(session.user.role));
  return (
    <ComuniProvider value={comuni}>
      <a className="visually-hidden-focusable skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Vai al contenuto principale
      </a>
      <header className="pis-header">
        <div className="container d-flex flex-wrap align-items-center justify-content-between gap-2 py-2">
          <div>
            <span className="pis-brand">PIS · Pronto Intervento Sociale</span>
            <span className="d-block small">Console operativa</span>
          </div>
          <div className="small text-end">
            <span data-testid="current-user">{session.user.displayName}</span> · {roleLabel(session.user.role)}
            <button type="button" className="btn btn-sm btn-outline-light ms-2" onClick={logout}>
              Esci
            </button>
            <HeaderAlerts />
          </div>
        </div>
        <nav aria-label="Menu principale" className="pis-nav">
          <ul className="container list-unstyled d-flex flex-wrap gap-1 mb-0 py-1">
            {items.map((n) => (
              <li key={n.path}>
                <a href={`#${n.path}`} className={`nav-link px-3 py-2 ${path.startsWith(n.path) ? 'active' : ''}`} aria-current={path.startsWith(n.path) ? 'page' : undefined}>
                  {n.text}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="container py-3">
        <Routes />
      </main>
      <footer className="container py-3 small border-top">
        <a href={`#${ACCESSIBILITY_PATH}`}>Dichiarazione di accessibilità</a>
      </footer>
    </ComuniProvider>
  );
}

export function App() {
  const [session, setSession] = useSessionState();
  const route = useRoute();
  const logout = useCallback(() => {
    if (session) void logoutOnServer(session.token);
    setSession(null);
    navigate('/');
  }, [session, setSession]);
  if (!session) {
    if (route.split('?')[0] === ACCESSIBILITY_PATH) {
      return (
        <main id="main" className="container my-5">
          <Accessibility signedIn={false} />
        </main>
      );
    }
    return (
      <Login
        onLogin={(s: Session) => {
          setSession(s);
          navigate(homeOf(s.user.role));
        }}
      />
    );
  }
  return (
    <SessionProvider session={session} onLogout={logout}>
      <LiveEventsProvider session={session}>
        <Shell />
      </LiveEventsProvider>
    </SessionProvider>
  );
}
