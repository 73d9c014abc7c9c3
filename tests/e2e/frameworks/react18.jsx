// React 18 recipe (README "React 18"): React 18 passes every prop of a custom element as an
// attribute (objects become "[object Object]", functions are dropped), so strings go as
// attributes and rich options as properties from a layout effect (before the browser paints);
// events through addEventListener.
import { StrictMode, useEffect, useLayoutEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { services, tipos, tokenProvider, loadProfile, recordSuccess } from "./common.js";

function Chamado({ telefone }) {
  const ref = useRef(null);
  const list = services();
  useLayoutEffect(() => {
    const el = ref.current;
    el.services = list;
    el.tipos = tipos;
    el.tokenProvider = tokenProvider;
  });
  useEffect(() => {
    const el = ref.current;
    const onSuccess = (e) => recordSuccess(e.detail);
    el.addEventListener("abrir-chamado:success", onSuccess);
    return () => el.removeEventListener("abrir-chamado:success", onSuccess);
  }, []);
  return (
    <abrir-chamado
      ref={ref}
      endpoint={location.origin}
      draft-key="react18"
      nome="Maria da Silva Souza"
      telefone={telefone}
    />
  );
}

function App() {
  const [tab, setTab] = useState("chamado");
  const [telefone, setTelefone] = useState("");
  const [inputs, setInputs] = useState(0);
  useEffect(() => {
    loadProfile().then((p) => setTelefone(p.telefone));
  }, []);
  useEffect(() => {
    const on = () => setInputs((n) => n + 1);
    document.addEventListener("input", on);
    return () => document.removeEventListener("input", on);
  }, []);
  return (
    <>
      <nav>
        <button onClick={() => setTab("chamado")}>Chamado</button>
        <button onClick={() => setTab("faturas")}>Faturas</button>
      </nav>
      <output data-testid="renders">{inputs}</output>
      {tab === "chamado" ? <Chamado telefone={telefone} /> : <p>Suas faturas</p>}
    </>
  );
}

createRoot(document.getElementById("app")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
