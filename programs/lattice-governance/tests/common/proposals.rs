//! Proposals: draft, vote, close, execute.

use super::*;

impl Harness {
    pub async fn next_proposal_id(&self) -> u64 {
        self.governance_account().await.proposal_count
    }

    pub async fn propose_ix(
        &self,
        proposer: &Pubkey,
        position: &Pubkey,
        uri: &str,
        changes: Vec<ParamChange>,
    ) -> (u64, Instruction) {
        let id = self.next_proposal_id().await;
        let ix = gov::propose(proposer, &self.dao, position, id, uri.to_string(), changes);
        (id, ix)
    }

    /// `proposer` drafts `changes` with `position`; returns the proposal id.
    pub async fn propose(
        &self,
        proposer: &Keypair,
        position: &Pubkey,
        changes: Vec<ParamChange>,
    ) -> Result<u64, ChainError> {
        let (id, ix) = self
            .propose_ix(&proposer.pubkey(), position, "ipfs://proposal", changes)
            .await;
        self.send(&[ix], &[proposer]).await.map(|_| id)
    }

    pub async fn start_voting(&self, proposer: &Keypair, id: u64) -> Result<(), ChainError> {
        let ix = gov::start_voting(&proposer.pubkey(), &self.dao, id);
        self.send(&[ix], &[proposer]).await
    }

    pub async fn cancel(&self, proposer: &Keypair, id: u64) -> Result<(), ChainError> {
        let ix = gov::cancel_proposal(&proposer.pubkey(), &self.dao, id);
        self.send(&[ix], &[proposer]).await
    }

    pub async fn vote(
        &self,
        owner: &Keypair,
        id: u64,
        position: &Pubkey,
        choice: VoteChoice,
    ) -> Result<(), ChainError> {
        let ix = gov::vote(&owner.pubkey(), &self.dao, id, position, choice);
        self.send(&[ix], &[owner]).await
    }

    pub async fn finalize(&self, id: u64) -> Result<(), ChainError> {
        let ix = gov::finalize_proposal(&self.dao, id);
        self.send(&[ix], &[]).await
    }

    pub async fn proposal(&self, id: u64) -> Proposal {
        gov::fetch_proposal(&self.chain, &self.dao, id)
            .await
            .unwrap()
            .expect("proposal")
    }

    pub async fn execute_ix(&self, id: u64, index: u8) -> Instruction {
        let p = self.proposal(id).await;
        let change = p
            .changes
            .get(usize::from(index))
            .cloned()
            .unwrap_or_else(|| p.changes[0].clone());
        gov::execute_change(&self.dao, id, index, &change)
    }

    pub async fn execute(&self, id: u64, index: u8) -> Result<(), ChainError> {
        let ix = self.execute_ix(id, index).await;
        self.send(&[ix], &[]).await
    }

    /// Execute every change of proposal `id`, in order.
    pub async fn execute_all(&self, id: u64) {
        let n = self.proposal(id).await.changes.len();
        for i in 0..n {
            self.execute(id, i as u8).await.unwrap();
        }
    }

    /// Draft `changes` with `proposer`'s `position`, open voting, vote yes with each of `voters`,
    /// close it and wait out the timelock: the proposal is queued and executable. Every voter's
    /// position must have been created before the current hour.
    pub async fn pass(
        &self,
        proposer: &Keypair,
        position: &Pubkey,
        voters: &[(&Keypair, Pubkey)],
        changes: Vec<ParamChange>,
    ) -> u64 {
        let id = self.propose(proposer, position, changes).await.unwrap();
        self.start_voting(proposer, id).await.unwrap();
        for (owner, pos) in voters {
            self.vote(owner, id, pos, VoteChoice::Yes).await.unwrap();
        }
        let p = self.proposal(id).await;
        self.set_time(p.voting_end).await;
        self.finalize(id).await.unwrap();
        let p = self.proposal(id).await;
        assert_eq!(p.state, gov::ProposalState::Queued);
        self.set_time(p.eta).await;
        id
    }
}
